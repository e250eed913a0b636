package recorded

import "testing"

func TestAllRecordingsParse(t *testing.T) {
	recs, err := All()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) < 110 {
		t.Fatalf("parsed %d recordings, want at least 110", len(recs))
	}
	for _, r := range recs {
		for i, ex := range r.Exchanges {
			if ex.Method == "" || ex.URL == nil || ex.Status == 0 {
				t.Errorf("%s #%d: incomplete exchange %+v", r.Name, i, ex)
			}
		}
	}
	l10, err := Load("L10-lobby-json-body-timer")
	if err != nil {
		t.Fatal(err)
	}
	if got := l10.First().JSONBody; got != `{"state":1,"timer":1796178358}` {
		t.Errorf("L10 JSON body = %q", got)
	}
	l03, _ := Load("L03-lobby-state1-timer-future")
	if ex := l03.First(); ex.Form.Get("timer") != "1796178358" || ex.User != "admin" || ex.Status != 200 || ex.Header.Get("Content-Type") == "" {
		t.Errorf("L03 parsed wrong: %+v", ex)
	}
	g04, _ := Load("G04-demote-guest")
	if g04.First().Method != "DELETE" {
		t.Errorf("G04 method = %q", g04.First().Method)
	}
	lf, _ := Load("LF1-login-flow-v2-start-and-poll-pending")
	if len(lf.Exchanges) != 2 || lf.Exchanges[1].Status != 404 || lf.Exchanges[1].Form.Get("token") == "" && string(lf.Exchanges[1].Body) != "[]" {
		t.Errorf("LF1 parsed wrong: %+v", lf.Exchanges)
	}
}
