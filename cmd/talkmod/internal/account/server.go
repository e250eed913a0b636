package account

import "strings"

// NormalizeServer trims a typed server URL and adds https:// when no
// scheme is given. A URL pasted from the browser is reduced to the server:
// everything from /index.php, /apps/ or /call/ on, and any query or
// fragment, goes ("https://host/index.php/apps/spreed/…",
// "https://host/call/TOKEN" → "https://host"; a Nextcloud in a sub-folder
// keeps it: "https://host/nc/call/TOKEN" → "https://host/nc").
func NormalizeServer(s string) string {
	s = strings.TrimSpace(s)
	if s != "" && !strings.Contains(s, "://") {
		s = "https://" + s
	}
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		s = s[:i]
	}
	if scheme, rest, ok := strings.Cut(s, "://"); ok {
		host, path, _ := strings.Cut(rest, "/")
		path = "/" + path
		for _, cut := range []string{"/index.php", "/apps/", "/call/", "/login"} {
			if i := strings.Index(path, cut); i >= 0 && (cut != "/login" || i == len(path)-len(cut) || path[i+len(cut)] == '/') {
				path = path[:i]
			}
		}
		s = scheme + "://" + host + path
	}
	return strings.TrimRight(s, "/")
}

// SameServer reports whether two server URLs name the same Nextcloud.
func SameServer(a, b string) bool {
	return strings.EqualFold(NormalizeServer(a), NormalizeServer(b))
}
