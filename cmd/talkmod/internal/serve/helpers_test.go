package serve

import (
	"os"
	"testing"
	"unicode"

	"github.com/talkmod/talkmod/cmd/talkmod/internal/account"
)

// openLogins opens the (isolated) store of the keys' logins.
func openLogins(t *testing.T) *account.KeyLogins {
	t.Helper()
	st, err := account.OpenKeyLogins(os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// plainText: no control or format characters (what a quoted error
// message may hold).
func plainText(s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return false
		}
	}
	return true
}
