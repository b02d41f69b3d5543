package exchange

import (
	"embed"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"parcours/internal/platform/auth"
	"parcours/internal/platform/web"
)

//go:embed templates/*.html
var templatesFS embed.FS

// HTTP serves the staff pages of the exchange.
type HTTP struct {
	S    *Service
	K    *web.Kit
	Auth *auth.HTTP
}

// Register adds the staff routes and the HSDS API.
func (h *HTTP) Register(rt *web.Router) error {
	if err := h.K.R.AddPages("exchange", templatesFS, "templates"); err != nil {
		return err
	}
	k, need := h.K, h.Auth.Need
	rt.Handle("GET /admin/guide/exchange", need(auth.PermGuideEdit, k.H(h.page)))
	rt.Handle("POST /admin/guide/exchange/export", need(auth.PermGuideEdit, k.H(h.export)))
	rt.Handle("POST /admin/guide/exchange/import", need(auth.PermGuideEdit, k.HLimit(MaxImportBytes+1<<20, h.upload)))
	rt.Handle("GET /admin/guide/exchange/import/{id}", need(auth.PermGuideEdit, k.H(h.preview)))
	rt.Handle("POST /admin/guide/exchange/import/{id}", need(auth.PermGuideEdit, k.H(h.confirm)))
	return (&API{S: h.S, K: h.K}).Register(rt)
}

type pageData struct {
	Export   *Export
	Table    string
	Format   string
	FileErr  *FileError
	MaxMB    int
	MaxRows  int
	MaxFiles int
}

// FileName is the name of the file the upload refused, if any.
func (d pageData) FileName() string {
	if d.FileErr == nil {
		return ""
	}
	return d.FileErr.File
}

// TableOptions are the tables of the export form.
func (pageData) TableOptions() []web.Option {
	return []web.Option{{Value: TableStructures, Label: "exchange.table.structures"}, {Value: TableServices, Label: "exchange.table.services"}}
}

// FormatOptions are the formats of the export form.
func (pageData) FormatOptions() []web.Option {
	return []web.Option{{Value: FormatJSON, Label: "exchange.format.json"}, {Value: FormatCSV, Label: "exchange.format.csv"}}
}

func (h *HTTP) pageData(r *http.Request) (*pageData, error) {
	x, err := h.S.BuildExport(r.Context(), auth.From(r.Context()))
	if err != nil {
		return nil, err
	}
	return &pageData{Export: x, Table: TableServices, Format: FormatJSON, MaxMB: MaxImportBytes >> 20, MaxRows: MaxImportRows,
		MaxFiles: MaxImportFiles}, nil
}

func (h *HTTP) page(w http.ResponseWriter, r *http.Request) error {
	d, err := h.pageData(r)
	if err != nil {
		return err
	}
	return h.K.Render(w, r, http.StatusOK, "exchange/exchange", d)
}

func (h *HTTP) export(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	table := f.OneOf("table", []string{TableStructures, TableServices})
	format := f.OneOf("format", []string{FormatJSON, FormatCSV})
	d, err := h.pageData(r)
	if err != nil {
		return err
	}
	if !f.OK() {
		d.Table, d.Format = table, format
		return h.K.RenderInvalid(w, r, "exchange/exchange", d, f.Errors)
	}
	body, err := d.Export.Encode(table, format)
	if err != nil {
		return err
	}
	rows := len(d.Export.Services)
	if table == TableStructures {
		rows = len(d.Export.Structures)
	}
	if err := h.S.RecordExport(r.Context(), p, table, format, rows); err != nil {
		return err
	}
	ctype := "application/json; charset=utf-8"
	if format == FormatCSV {
		ctype = "text/csv; charset=utf-8"
	}
	name := "data-inclusion-" + table + "-" + h.S.today().Format(time.DateOnly) + "." + format
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(body)
	return err
}

// readUploads reads the files of the upload form.
func readUploads(r *http.Request) ([]File, error) {
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		return nil, &FileError{Key: "exchange.import.no_file"}
	}
	defer r.MultipartForm.RemoveAll()
	var out []File
	for _, fh := range r.MultipartForm.File["files"] {
		if len(out) == MaxImportFiles {
			return nil, &FileError{Key: "exchange.import.too_many_files"}
		}
		f, err := fh.Open()
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(io.LimitReader(f, MaxImportBytes+1))
		f.Close()
		if err != nil {
			return nil, err
		}
		name := web.Clean(filepath.Base(fh.Filename))
		if len(name) > 120 {
			name = name[:120]
		}
		out = append(out, File{Name: name, Data: data})
	}
	return out, nil
}

func (h *HTTP) upload(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	files, err := readUploads(r)
	var id string
	if err == nil {
		id, err = h.S.Upload(r.Context(), p, files)
	}
	if fe, ok := errors.AsType[*FileError](err); ok {
		d, derr := h.pageData(r)
		if derr != nil {
			return derr
		}
		d.FileErr = fe
		return h.K.RenderInvalid(w, r, "exchange/exchange", d, map[string]string{"files": fe.Key})
	}
	if err != nil {
		return err
	}
	return web.Redirect(w, r, "/admin/guide/exchange/import/"+id)
}

type previewData struct {
	ID   string
	Plan *Plan
}

// Where names a line of the preview: file and line, or file and entry.
func (previewData) Where(l *Line) string { return l.File + ":" + strconv.Itoa(l.Line) }

func (h *HTTP) preview(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	pl, err := h.S.Preview(r.Context(), auth.From(r.Context()), id)
	if err != nil {
		return err
	}
	return h.K.Render(w, r, http.StatusOK, "exchange/preview", previewData{ID: id, Plan: pl})
}

func (h *HTTP) confirm(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	pl, res, err := h.S.Confirm(r.Context(), auth.From(r.Context()), id)
	if err != nil {
		return err
	}
	if res == nil {
		return h.K.RenderInvalid(w, r, "exchange/preview", previewData{ID: id, Plan: pl}, map[string]string{"import": "exchange.import.has_errors"})
	}
	return h.K.Done(w, r, "/admin/guide?status=draft", "exchange.import.done", "Created", res.Created, "Updated", res.Updated,
		"Unchanged", res.Unchanged)
}

// Class is the CSS class of a preview line.
func (l *Line) Class() string {
	switch {
	case len(l.Errors) > 0:
		return "error"
	case len(l.Warnings) > 0:
		return "warn"
	}
	return ""
}

// KindKey is the message ID of the line's kind.
func (l *Line) KindKey() string { return "exchange.kind." + strings.ToLower(l.Kind) }
