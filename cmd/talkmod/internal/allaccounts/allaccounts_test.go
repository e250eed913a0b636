package allaccounts

import (
	"slices"
	"testing"

	"github.com/talkmod/talkmod/cmd/talkmod/internal/account"
)

// Labels: the host, or the account's name when another stored account is
// on the same host (the scheme's default port and case ignored).
func TestLabels(t *testing.T) {
	accts := []account.Account{
		{Name: "alice@cloud.example.com", Server: "https://cloud.example.com"},
		{Name: "bob@cloud.example.com", Server: "https://Cloud.example.com:443"},
		{Name: "alice@other.example.org", Server: "https://other.example.org/nextcloud/"},
	}
	want := []string{"alice@cloud.example.com", "bob@cloud.example.com", "other.example.org/nextcloud"}
	if got := Labels(accts); !slices.Equal(got, want) {
		t.Errorf("Labels = %q, want %q", got, want)
	}
}
