package talktest

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
)

func sha1Hex(s string) string {
	h := sha1.Sum([]byte(s))
	return hex.EncodeToString(h[:])
}

// ocsXML renders an OCS envelope like PHP's XMLWriter does in Nextcloud
// (one space of indent per level, list items named "element", empty arrays
// and null as <x/>, true as 1, false as an empty element).
func ocsXML(status string, code int, message string, data any) []byte {
	var b bytes.Buffer
	b.WriteString("<?xml version=\"1.0\"?>\n<ocs>\n <meta>\n")
	b.WriteString("  <status>" + xmlEscape(status) + "</status>\n")
	b.WriteString("  <statuscode>" + strconv.Itoa(code) + "</statuscode>\n")
	b.WriteString("  <message>" + xmlEscape(message) + "</message>\n")
	b.WriteString(" </meta>\n")
	dec := json.NewDecoder(bytes.NewReader(marshal(data)))
	dec.UseNumber()
	writeXMLValue(&b, dec, "data", 1)
	b.WriteString("</ocs>\n")
	return b.Bytes()
}

func writeXMLValue(b *bytes.Buffer, dec *json.Decoder, name string, level int) {
	ind := strings.Repeat(" ", level)
	tok, err := dec.Token()
	if err != nil {
		b.WriteString(ind + "<" + name + "/>\n")
		return
	}
	switch t := tok.(type) {
	case json.Delim:
		var children bytes.Buffer
		if t == '{' {
			for dec.More() {
				kt, _ := dec.Token()
				k, _ := kt.(string)
				if k == "" || (k[0] >= '0' && k[0] <= '9') {
					k = "element"
				}
				writeXMLValue(&children, dec, k, level+1)
			}
		} else {
			for dec.More() {
				writeXMLValue(&children, dec, "element", level+1)
			}
		}
		_, _ = dec.Token() // closing delim
		if children.Len() == 0 {
			b.WriteString(ind + "<" + name + "/>\n")
			return
		}
		b.WriteString(ind + "<" + name + ">\n")
		b.Write(children.Bytes())
		b.WriteString(ind + "</" + name + ">\n")
	case nil:
		b.WriteString(ind + "<" + name + "/>\n")
	case bool:
		v := ""
		if t {
			v = "1"
		}
		b.WriteString(ind + "<" + name + ">" + v + "</" + name + ">\n")
	case json.Number:
		b.WriteString(ind + "<" + name + ">" + t.String() + "</" + name + ">\n")
	case string:
		b.WriteString(ind + "<" + name + ">" + xmlEscape(t) + "</" + name + ">\n")
	}
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}
