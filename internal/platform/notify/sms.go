package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode"
)

// Brevo sends SMS through Brevo's transactional SMS API
// (POST /v3/transactionalSMS/send, header api-key).
type Brevo struct {
	APIKey   string
	Sender   string // alphanumeric sender, at most 11 characters
	Endpoint string // default https://api.brevo.com/v3/transactionalSMS/send
	Client   *http.Client
}

// DefaultBrevoEndpoint is Brevo's transactional SMS endpoint.
const DefaultBrevoEndpoint = "https://api.brevo.com/v3/transactionalSMS/send"

type brevoRequest struct {
	Sender         string `json:"sender"`
	Recipient      string `json:"recipient"`
	Content        string `json:"content"`
	Type           string `json:"type"`
	UnicodeEnabled bool   `json:"unicodeEnabled"`
}

type brevoResponse struct {
	MessageID json.Number `json:"messageId"`
	Message   string      `json:"message"`
	Code      string      `json:"code"`
}

// SendSMS sends text to an E.164 number and returns Brevo's message id.
func (b *Brevo) SendSMS(ctx context.Context, to, text string) (string, error) {
	if !strings.HasPrefix(to, "+") || len(to) < 8 {
		return "", fmt.Errorf("sms: %q is not an E.164 number", to)
	}
	req := brevoRequest{Sender: b.Sender, Recipient: strings.TrimPrefix(to, "+"), Content: text,
		Type: "transactional", UnicodeEnabled: !isGSM(text)}
	body, err := json.Marshal(req)
	if err != nil {
		return "", err
	}
	endpoint := b.Endpoint
	if endpoint == "" {
		endpoint = DefaultBrevoEndpoint
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	hr.Header.Set("api-key", b.APIKey)
	hr.Header.Set("Content-Type", "application/json")
	hr.Header.Set("Accept", "application/json")
	client := b.Client
	if client == nil {
		client = &http.Client{Timeout: 20 * time.Second}
	}
	resp, err := client.Do(hr)
	if err != nil {
		return "", fmt.Errorf("sms: %w", err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	var br brevoResponse
	_ = json.Unmarshal(raw, &br)
	if resp.StatusCode/100 != 2 {
		return "", fmt.Errorf("sms: provider answered %d %s %s", resp.StatusCode, br.Code, br.Message)
	}
	if br.MessageID == "" {
		return "", fmt.Errorf("sms: provider answered without a message id")
	}
	return br.MessageID.String(), nil
}

// isGSM reports whether text fits the GSM 7-bit alphabet's basic ASCII
// part; anything else (Arabic, Tigrinya, accents beyond GSM) goes as Unicode.
func isGSM(text string) bool {
	for _, r := range text {
		if r > unicode.MaxASCII && !strings.ContainsRune("£¥èéùìòÇØøÅåΔΦΓΛΩΠΨΣΘΞÆæßÉÄÖÑÜ§¿äöñüà€", r) {
			return false
		}
	}
	return true
}
