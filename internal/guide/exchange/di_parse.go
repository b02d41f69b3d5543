package exchange

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strings"
	"unicode/utf8"
)

// Import limits.
const (
	// MaxImportBytes bounds the files of one upload together.
	MaxImportBytes = 4 << 20
	// MaxImportRows bounds the rows of one upload together.
	MaxImportRows = 5000
	// MaxImportFiles bounds the files of one upload.
	MaxImportFiles = 4
	// maxCell bounds one value.
	maxCell = 10_000
)

// File is an uploaded file.
type File struct {
	Name string `json:"name"`
	Data []byte `json:"data"`
}

// FileError is a file that cannot be read at all: nothing of the upload
// is kept.
type FileError struct {
	File string
	// Key is the message ID of the problem.
	Key string
}

func (e *FileError) Error() string { return e.File + ": " + e.Key }

// cell is a value of a row as the file wrote it.
type cell struct {
	s      string
	list   []string
	isList bool
	num    float64
	isNum  bool
	// bad: a value of a type no column takes (object, boolean, list of
	// non-strings).
	bad bool
}

// inRecord is a row of an uploaded file.
type inRecord struct {
	File string
	// Line is the line in a CSV file (the header is line 1), the entry's
	// number in a JSON list.
	Line  int
	JSON  bool
	Kind  string // kindStructure or kindService
	Cells map[string]cell
	// Shape is a problem with the whole row (a message ID).
	Shape string
}

// parseFiles reads uploaded JSON and CSV files into rows.
func parseFiles(files []File) ([]*inRecord, error) {
	if len(files) == 0 {
		return nil, &FileError{Key: "exchange.import.no_file"}
	}
	if len(files) > MaxImportFiles {
		return nil, &FileError{Key: "exchange.import.too_many_files"}
	}
	total := 0
	for _, f := range files {
		total += len(f.Data)
	}
	if total > MaxImportBytes {
		return nil, &FileError{Key: "exchange.import.too_big"}
	}
	var out []*inRecord
	for _, f := range files {
		data := bytes.TrimPrefix(f.Data, []byte("\xef\xbb\xbf"))
		if !utf8.Valid(data) {
			return nil, &FileError{File: f.Name, Key: "exchange.import.not_utf8"}
		}
		var rows []*inRecord
		var err error
		if trimmed := bytes.TrimSpace(data); len(trimmed) > 0 && (trimmed[0] == '[' || trimmed[0] == '{') {
			rows, err = parseJSON(f.Name, trimmed)
		} else {
			rows, err = parseCSV(f.Name, data)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, rows...)
		if len(out) > MaxImportRows {
			return nil, &FileError{File: f.Name, Key: "exchange.import.too_many_rows"}
		}
	}
	if len(out) == 0 {
		return nil, &FileError{Key: "exchange.import.empty"}
	}
	return out, nil
}

// parseJSON reads a list of structures or services, or an object
// {"structures": [...], "services": [...]}.
func parseJSON(name string, data []byte) ([]*inRecord, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, &FileError{File: name, Key: "exchange.import.unreadable"}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, &FileError{File: name, Key: "exchange.import.unreadable"}
	}
	var out []*inRecord
	add := func(list []any, kind string) {
		for i, item := range list {
			if len(out) > MaxImportRows {
				return
			}
			out = append(out, jsonRecord(name, i+1, kind, item))
		}
	}
	switch v := doc.(type) {
	case []any:
		add(v, "")
	case map[string]any:
		for key := range v {
			if key != TableStructures && key != TableServices {
				return nil, &FileError{File: name, Key: "exchange.import.unreadable"}
			}
		}
		for _, key := range []string{TableStructures, TableServices} {
			list, ok := v[key].([]any)
			if _, present := v[key]; present && !ok {
				return nil, &FileError{File: name, Key: "exchange.import.unreadable"}
			}
			kind := kindStructure
			if key == TableServices {
				kind = kindService
			}
			add(list, kind)
		}
	default:
		return nil, &FileError{File: name, Key: "exchange.import.unreadable"}
	}
	return out, nil
}

func jsonRecord(name string, n int, kind string, item any) *inRecord {
	rec := &inRecord{File: name, Line: n, JSON: true, Kind: kind, Cells: map[string]cell{}}
	obj, ok := item.(map[string]any)
	if !ok {
		rec.Shape = "exchange.import.err.not_object"
		if rec.Kind == "" {
			rec.Kind = kindStructure
		}
		return rec
	}
	if rec.Kind == "" {
		rec.Kind = kindStructure
		if _, ok := obj["structure_id"]; ok {
			rec.Kind = kindService
		}
	}
	for k, v := range obj {
		var c cell
		switch x := v.(type) {
		case nil:
			continue
		case string:
			c.s = x
		case json.Number:
			f, err := x.Float64()
			c.num, c.isNum, c.s, c.bad = f, true, x.String(), err != nil
		case []any:
			c.isList = true
			for _, e := range x {
				s, ok := e.(string)
				if !ok {
					c.bad = true
					break
				}
				c.list = append(c.list, s)
			}
		default:
			c.bad = true
		}
		rec.Cells[k] = c
	}
	return rec
}

// parseCSV reads a table with a header row, comma- or
// semicolon-separated; a header with structure_id is a table of services.
func parseCSV(name string, data []byte) ([]*inRecord, error) {
	first, _, _ := bytes.Cut(data, []byte("\n"))
	r := csv.NewReader(bytes.NewReader(data))
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		r.Comma = ';'
	}
	r.FieldsPerRecord = -1
	r.ReuseRecord = false
	header, err := r.Read()
	if err != nil {
		return nil, &FileError{File: name, Key: "exchange.import.unreadable"}
	}
	for i, h := range header {
		header[i] = strings.ToLower(strings.TrimSpace(h))
		if header[i] == "" || slices.Contains(header[:i], header[i]) {
			return nil, &FileError{File: name, Key: "exchange.import.bad_header"}
		}
	}
	kind := kindStructure
	if slices.Contains(header, "structure_id") {
		kind = kindService
	}
	var out []*inRecord
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, &FileError{File: name, Key: "exchange.import.unreadable"}
		}
		line, _ := r.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		row := &inRecord{File: name, Line: line, Kind: kind, Cells: map[string]cell{}}
		if len(rec) != len(header) {
			row.Shape = "exchange.import.err.columns"
		}
		for i, v := range rec {
			if i >= len(header) || v == "" {
				continue
			}
			col := header[i]
			c := cell{s: v}
			if slices.Contains(listColumns, col) {
				c.isList, c.list = true, splitList(v)
			}
			row.Cells[col] = c
		}
		out = append(out, row)
		if len(out) > MaxImportRows {
			return nil, &FileError{File: name, Key: "exchange.import.too_many_rows"}
		}
	}
	return out, nil
}

// splitList reads a list written in a CSV cell: "a,b", "a;b", "a|b",
// {a,b} (PostgreSQL) or ["a","b"] (JSON).
func splitList(v string) []string {
	v = strings.TrimSpace(v)
	if strings.HasPrefix(v, "[") {
		var list []string
		if json.Unmarshal([]byte(v), &list) == nil {
			return list
		}
	}
	v = strings.TrimSuffix(strings.TrimPrefix(v, "{"), "}")
	var out []string
	for _, part := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' || r == '|' }) {
		if p := strings.Trim(strings.TrimSpace(part), `"`); p != "" {
			out = append(out, p)
		}
	}
	return out
}
