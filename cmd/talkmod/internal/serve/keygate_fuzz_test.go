package serve

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"
)

// Public keys generated for these tests only (their private halves were
// never kept).
const (
	fuzzKeyEd25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGut/Sh8DkJm3nxRrdqtc9q8ajD5hV2wvswpklblcHxk"
	fuzzKeyECDSA   = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBKAC+Nka7Y+DY1KEVArk3Oz+gs2Sp+aH70zKe8pCBxJLv0zLWq6y9Uxy/qcsY4qtoahAcbusaDwYlgj7ebKFWhM="
	fuzzKeyRSA     = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCzq8wFoYoPnlho4x2UD2vKkVB2vY9rNdnrZD//TN01DWB/3cJd7DwBP0Kex+AZtXJWuMxVreCYTJ8KPpFgA8P8xCmt3e5pkZGjV3muvx8HX8cP8rK3Z2JtUa6nfG2jX+OLSO/rGG4REMr9I8Sb4KcNSzphPFUvkdoGNj/60j1AiWBAaJaRinjTQlmqArNIgUBkWlBY0L42XNtv4E5SosvijHD375v0W4uzgKqkXCHvFGbVrLrspIP89mSJkWg/VEkO7kksHAlXDSymwbkVNne7dU2OEQicM+KC6DyP1xfuBcMMtYqPPYYeiDknGDzP+DddO9oYv88r4TN30Mb3M529"
)

// authorizedKeysSeeds are files as people write them: keys with and
// without comments, comments, blank lines, CRLF, options (refused), and
// broken keys.
var authorizedKeysSeeds = []string{
	fuzzKeyEd25519 + "\n",
	fuzzKeyEd25519 + " alice@laptop\n# support staff\n\n" + fuzzKeyECDSA + " bob\n" + fuzzKeyRSA + " carol@desk\n",
	fuzzKeyEd25519 + " crlf\r\n\t" + fuzzKeyECDSA + "\t tabs \r\n",
	`from="10.0.0.1" ` + fuzzKeyEd25519 + " restricted\n",
	`command="echo hi",no-pty,no-port-forwarding ` + fuzzKeyECDSA + "\n",
	"restrict " + fuzzKeyRSA + "\n",
	`command="` + "\x1b]0;owned\x07" + `" ` + fuzzKeyEd25519 + "\n",
	fuzzKeyEd25519 + "\n" + fuzzKeyEd25519[:60] + "\n",
	"ssh-ed25519 not-base64!\n",
	"ssh-rsa " + strings.TrimPrefix(fuzzKeyEd25519, "ssh-ed25519 ") + " type word says rsa\n",
	"# only a comment\n\n   \n",
	"",
}

// FuzzAuthorizedKeys: the authorized_keys reader of talkmod serve never
// panics. Every key it accepts is a valid public key whose fingerprint is
// stable: the same after the key's own encoding is parsed again, after
// the key is written out as an authorized_keys line and read back, and
// the same as ssh-keygen's (the hash of the bytes in the file). It
// accepts one key per line that is neither blank nor a comment; a line
// with options (from=, command=, restrict, …) or one that is not a key
// refuses the whole file, naming the line, in plain words.
func FuzzAuthorizedKeys(f *testing.F) {
	for _, s := range authorizedKeysSeeds {
		f.Add([]byte(s))
	}
	f.Add(append([]byte(fuzzKeyECDSA+"\n"), certLine(f)...))
	// one file per fuzzing process: the function runs one input at a time
	path := filepath.Join(f.TempDir(), "authorized_keys")
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		keys, err := loadKeyFile(path)

		// what the file holds, line by line, as OpenSSH reads it
		var want []string // base64 blobs of the key lines
		wantErr := ""
		for i, l := range bytes.Split(data, []byte("\n")) {
			l = bytes.TrimSpace(l)
			if len(l) == 0 || l[0] == '#' {
				continue
			}
			key, _, options, _, perr := gossh.ParseAuthorizedKey(l)
			if perr != nil {
				wantErr = fmt.Sprintf("line %d is not an OpenSSH public key", i+1)
				break
			}
			if len(options) > 0 {
				wantErr = fmt.Sprintf("line %d has options", i+1)
				break
			}
			if _, ok := key.(*gossh.Certificate); ok {
				wantErr = fmt.Sprintf("line %d is a certificate", i+1)
				break
			}
			want = append(want, keyBlob(l))
		}
		if wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), wantErr) {
				t.Fatalf("error %v, want one saying %q", err, wantErr)
			}
			if keys != nil {
				t.Fatalf("a refused file gave %d keys", len(keys))
			}
			if !plainText(err.Error()) {
				t.Fatalf("error with control characters: %q", err.Error())
			}
			return
		}
		if err != nil {
			t.Fatalf("refused a file of %d plain keys: %v", len(want), err)
		}
		if len(keys) != len(want) {
			t.Fatalf("%d keys accepted, the file has %d", len(keys), len(want))
		}
		var out bytes.Buffer
		fps := make([]string, len(keys))
		for i, key := range keys {
			fp := gossh.FingerprintSHA256(key)
			again, perr := gossh.ParsePublicKey(key.Marshal())
			if perr != nil {
				t.Fatalf("key %d does not parse from its own encoding: %v", i, perr)
			}
			if gossh.FingerprintSHA256(again) != fp || gossh.FingerprintSHA256(key) != fp {
				t.Fatalf("key %d: fingerprint %s changes", i, fp)
			}
			blob, derr := base64.StdEncoding.DecodeString(want[i])
			if derr != nil || !bytes.Equal(blob, key.Marshal()) {
				t.Fatalf("key %d: fingerprint %s is not the one of the bytes in the file (ssh-keygen -l): %v", i, fp, derr)
			}
			fps[i] = fp
			out.Write(gossh.MarshalAuthorizedKey(key))
		}
		// written out and read back: the same keys, in the same order
		if err := os.WriteFile(path, out.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		back, err := loadKeyFile(path)
		if err != nil || len(back) != len(keys) {
			t.Fatalf("the accepted keys written out read back as %d keys, %v", len(back), err)
		}
		for i, key := range back {
			if gossh.FingerprintSHA256(key) != fps[i] {
				t.Fatalf("key %d reads back as %s, was %s", i, gossh.FingerprintSHA256(key), fps[i])
			}
		}
	})
}

// keyBlob is the base64 field of an authorized_keys line without
// options: the word after the key type.
func keyBlob(line []byte) string {
	s := strings.TrimSpace(string(line))
	i := strings.IndexAny(s, " \t")
	if i < 0 {
		return ""
	}
	s = strings.TrimSpace(s[i:])
	if j := strings.IndexAny(s, " \t"); j >= 0 {
		s = s[:j]
	}
	return s
}

// certLine is an authorized_keys line holding a user certificate of the
// ed25519 test key, signed by a key made from a fixed seed.
func certLine(f *testing.F) []byte {
	pub, _, _, _, err := gossh.ParseAuthorizedKey([]byte(fuzzKeyEd25519))
	if err != nil {
		f.Fatal(err)
	}
	ca, err := gossh.NewSignerFromKey(ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)))
	if err != nil {
		f.Fatal(err)
	}
	cert := &gossh.Certificate{Key: pub, CertType: gossh.UserCert, KeyId: "seed", ValidPrincipals: []string{"support"}, ValidBefore: gossh.CertTimeInfinity}
	if err := cert.SignCert(rand.Reader, ca); err != nil {
		f.Fatal(err)
	}
	return gossh.MarshalAuthorizedKey(cert)
}
