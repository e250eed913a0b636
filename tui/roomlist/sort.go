package roomlist

import (
	"strings"
	"unicode"
)

// SortMode is the order of the list (o cycles it).
type SortMode int

const (
	SortByName     SortMode = iota // name, case- and accent-insensitive, then token
	SortByLobby                    // lobby opening soonest first
	SortByActivity                 // last activity, newest first
	SortModes
)

// Short is the header's word for the order.
func (s SortMode) Short() string {
	switch s {
	case SortByLobby:
		return "by lobby"
	case SortByActivity:
		return "by activity"
	}
	return "by name"
}

func (s SortMode) String() string {
	switch s {
	case SortByLobby:
		return "lobby opens"
	case SortByActivity:
		return "last activity"
	}
	return "name"
}

// foldTable maps accented Latin letters to their base letters (Latin-1
// Supplement and Latin Extended-A, which cover the names of Western and
// Central European languages).
var foldTable = func() map[rune]string {
	groups := map[string]string{
		"a": "àáâãäåāăą", "c": "çćĉċč", "d": "ďđ", "e": "èéêëēĕėęě", "g": "ĝğġģ", "h": "ĥħ",
		"i": "ìíîïĩīĭįı", "j": "ĵ", "k": "ķ", "l": "ĺļľŀł", "n": "ñńņňŉ", "o": "òóôõöøōŏő",
		"r": "ŕŗř", "s": "śŝşš", "t": "ţťŧ", "u": "ùúûüũūŭůűų", "w": "ŵ", "y": "ýÿŷ", "z": "źżž",
		"ae": "æ", "oe": "œ", "ss": "ß", "th": "þ", "dh": "ð",
	}
	t := map[rune]string{}
	for base, rs := range groups {
		for _, r := range rs {
			t[r] = base
		}
	}
	return t
}()

// FoldName is the sort key of a name: lower case, accents dropped, so
// "Élan" sorts with "elan" and "Zoë" with "zoe".
func FoldName(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		r = unicode.ToLower(r)
		if f, ok := foldTable[r]; ok {
			b.WriteString(f)
			continue
		}
		if unicode.Is(unicode.Mn, r) {
			continue // a combining accent
		}
		b.WriteRune(r)
	}
	return b.String()
}
