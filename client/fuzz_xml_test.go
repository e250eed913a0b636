package client

import (
	"net/http"
	"strings"
	"testing"
	"unicode"
)

// FuzzXMLErrorBody: an error answer in OCS XML (what servers send when
// format=json is lost, or from old endpoints) is always one error in plain
// words: the status, the server's message quoted, no control or format
// character from the body.
func FuzzXMLErrorBody(f *testing.F) {
	f.Add(401, "<?xml version=\"1.0\"?>\n<ocs>\n <meta>\n  <status>failure</status>\n  <statuscode>997</statuscode>\n  <message>Unauthorised</message>\n </meta>\n <data/>\n</ocs>\n")
	f.Add(404, `<?xml version="1.0"?><ocs><meta><status>failure</status><statuscode>404</statuscode><message>Room not found</message></meta><data/></ocs>`)
	f.Add(400, `<ocs><meta><statuscode>400</statuscode><message>&#x1b;]0;title&#7;</message></meta><data><error>forced</error></data></ocs>`)
	f.Add(500, `<?xml version="1.0"?><ocs><meta><statuscode>abc</statuscode></meta>`)
	f.Add(503, `<?xml version="1.0" encoding="ISO-8859-1"?><ocs><meta><message>caf`+"\xe9"+`</message></meta></ocs>`)
	f.Add(429, `<ocs><meta><message>`+strings.Repeat("<b>", 50)+`</message></meta></ocs>`)
	f.Fuzz(func(t *testing.T, status int, body string) {
		if status < 400 || status > 599 {
			status = 400 + (abs(status) % 200)
		}
		for _, ct := range []string{"text/xml; charset=UTF-8", "application/xml"} {
			h := http.Header{"Content-Type": {ct}}
			err := decodeAnswer("set lobby", status, h, []byte(body), nil)
			if err == nil {
				t.Fatalf("HTTP %d decoded as success", status)
			}
			for _, text := range []string{err.Error(), Message(err)} {
				if text == "" {
					t.Fatal("an error without words")
				}
				for _, r := range text {
					if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || (r >= 0x80 && r <= 0x9f) {
						t.Fatalf("%U in %q", r, text)
					}
				}
			}
			_ = KindOf(err)
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
