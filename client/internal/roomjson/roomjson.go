// Package roomjson decodes the Talk room list while it arrives: one pass
// over the body, in fixed-size reads, that checks the JSON as it goes (no
// separate validation pass, no copy of the whole body) and decodes only the
// fields of models.Room. Each room's bytes are kept as sent when asked
// (rooms --json), in a few large blocks rather than one allocation per room.
// When the body's length is announced, they go into one block of that
// length, copied there by a goroutine of their own while the decoder reads
// and scans the next chunks.
//
// It accepts exactly what encoding/json accepts (FuzzRoomListStream checks
// this) but matches keys by their exact names, as the server sends them.
// BenchmarkDecode measures it against encoding/json on a 10,000-room list.
package roomjson

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/talkmod/talkmod/client/internal/printable"
	"github.com/talkmod/talkmod/models"
)

// streamChunk is the size of one read of the body.
const streamChunk = 64 << 10

// copyChunks is how many chunks are in use at once while the rooms' bytes
// are copied behind the decoder: read and scanned, or being copied.
const copyChunks = 4

// copyBehindFrom is the announced length from which the rooms' bytes are
// copied behind the decoder: below it, the copies cost less than the
// copier's goroutine, thread and chunks.
const copyBehindFrom = 4 << 20

// maxDepth bounds nesting, as encoding/json does.
const maxDepth = 10000

// Decoder reads one room list answer from a body, in chunks.
type Decoder struct {
	r    io.Reader
	buf  []byte
	pos  int   // next unread byte of buf
	n    int   // bytes of buf that hold data
	base int64 // body offset of buf[0]
	err  error // the read error that ended the body (io.EOF at the end)
	head []byte

	rec   int      // where the recording starts in buf; -1 when off
	arena rawArena // where recordings go

	scratch []byte // a decoded string (or a number that crossed a chunk)
	num     []byte // the last number's text (readNumber)

	opts Options

	copyChunks int   // chunks in use with a copier
	copyFrom   int64 // the least announced length for a copier
}

// Options say what to decode.
type Options struct {
	// SizeHint is the body's announced length (Content-Length, at most
	// what will be read), or 0: the room slice and the raw bytes are sized
	// from it, once.
	SizeHint int64
	// Lean decodes only what filtering and sorting need: token, type,
	// participantType and lastActivity.
	Lean bool
	// KeepRaw keeps each room's bytes as sent in models.Room.Raw.
	KeepRaw bool
	// Keep, when set, says which rooms to keep: the others are dropped
	// as soon as they are decoded, with their bytes. It sees a room
	// without Raw. Errors still count every room of the list.
	Keep func(models.Room) bool
}

// NewDecoder reads from r.
func NewDecoder(r io.Reader, opts Options) *Decoder {
	d := newDecoderSize(r, opts, streamChunk)
	d.copyFrom = copyBehindFrom
	return d
}

// newDecoderSize reads in chunks of size bytes (tests use small ones),
// with a copier for any announced length.
func newDecoderSize(r io.Reader, opts Options, size int) *Decoder {
	return &Decoder{r: r, buf: make([]byte, size), rec: -1, opts: opts, copyChunks: copyChunks}
}

// Error is a problem in the body: syntax (truncated or malformed) or a
// field of the wrong type.
type Error struct {
	Offset    int64 // where in the body, for syntax errors
	Truncated bool  // the body ended in the middle
	Room      int   // index of the room in the list, -1 outside the list
	Field     string
	Problem   string // in words: "malformed JSON at byte 12 (a colon expected)"
}

func (e *Error) Error() string { return e.Problem }

// fill reads the next chunk; false at the end of the body or on an error.
func (s *Decoder) fill() bool {
	if s.err != nil {
		return false
	}
	if s.rec >= 0 {
		s.arena.add(s.buf[s.rec:s.n])
		s.rec = 0
	}
	if s.arena.copier != nil {
		s.buf = s.arena.handOver(s.buf)
	}
	s.base += int64(s.n)
	s.pos, s.n = 0, 0
	for tries := 0; s.n == 0; tries++ {
		m, err := s.r.Read(s.buf)
		s.n = m
		if len(s.head) < 512 {
			s.head = append(s.head, s.buf[:min(m, 512-len(s.head))]...)
		}
		if err != nil {
			s.err = err
			break
		}
		if tries > 100 {
			s.err = io.ErrNoProgress
			break
		}
	}
	return s.n > 0
}

// ReadErr is the read error that stopped the body early (not io.EOF).
func (s *Decoder) ReadErr() error {
	if s.err == nil || s.err == io.EOF {
		return nil
	}
	return s.err
}

// Head is the first 512 bytes read of the body (for an error message).
func (s *Decoder) Head() []byte { return s.head }

// Buffered is what was read of the body and not decoded: after an answer
// that is not a JSON object (Answer.NotObject), its start.
func (s *Decoder) Buffered() []byte { return s.buf[s.pos:s.n] }

func (s *Decoder) offset() int64 { return s.base + int64(s.pos) }

func (s *Decoder) syntax(what string) error {
	if s.pos >= s.n && s.err != nil {
		return &Error{Offset: s.offset(), Truncated: true, Room: -1, Problem: "the JSON body is truncated"}
	}
	return &Error{Offset: s.offset(), Room: -1, Problem: fmt.Sprintf("malformed JSON at byte %d (%s)", s.offset(), what)}
}

// peek skips white space and returns the next byte, unread.
func (s *Decoder) peek() (byte, bool) {
	if s.pos < s.n && s.buf[s.pos] > ' ' {
		return s.buf[s.pos], true
	}
	return s.peekSlow()
}

// peekSlow is peek past white space and chunk ends.
func (s *Decoder) peekSlow() (byte, bool) {
	for {
		for s.pos < s.n {
			c := s.buf[s.pos]
			if c != ' ' && c != '\n' && c != '\r' && c != '\t' {
				return c, true
			}
			s.pos++
		}
		if !s.fill() {
			return 0, false
		}
	}
}

// expect consumes c (after white space).
func (s *Decoder) expect(c byte, what string) error {
	b, ok := s.peek()
	if !ok || b != c {
		return s.syntax(what)
	}
	s.pos++
	return nil
}

// startRecording keeps every byte from the next one on.
func (s *Decoder) startRecording() {
	if s.arena.block == nil && s.opts.SizeHint > 0 {
		// one block for the whole list: the rooms are most of the body
		s.arena.block = make([]byte, 0, s.opts.SizeHint)
	}
	s.arena.start = len(s.arena.block)
	s.rec = s.pos
}

// stopRecording returns the bytes read since startRecording, kept (with a
// copier, they are there once it has finished).
func (s *Decoder) stopRecording() []byte {
	s.arena.add(s.buf[s.rec:s.pos])
	s.rec = -1
	a := &s.arena
	return a.block[a.start:len(a.block):len(a.block)]
}

// readString reads a string (its opening quote next). With decode, its
// text is left in s.scratch (invalid UTF-8 and lone surrogates as U+FFFD,
// as encoding/json does); else it is only checked.
func (s *Decoder) readString(decode bool) error {
	if err := s.expect('"', "a string expected"); err != nil {
		return err
	}
	s.scratch = s.scratch[:0]
	ascii := true
	var pend rune // a high surrogate waiting for its pair
	flush := func() {
		if pend != 0 {
			s.scratch = utf8.AppendRune(s.scratch, utf8.RuneError)
			pend = 0
		}
	}
	for {
		// the fast path: plain bytes up to a quote, a backslash or a control
		i := s.pos + plainRun(s.buf[s.pos:s.n])
		for i < s.n {
			c := s.buf[i]
			if c == '"' || c == '\\' || c < 0x20 {
				break
			}
			if c >= 0x80 {
				ascii = false
			}
			i++
			if c >= 0x80 {
				i += plainRun(s.buf[i:s.n])
			}
		}
		if decode && i > s.pos {
			flush()
			s.scratch = append(s.scratch, s.buf[s.pos:i]...)
		}
		s.pos = i
		if i == s.n {
			if !s.fill() {
				return s.syntax("unterminated string")
			}
			continue
		}
		c := s.buf[i]
		switch {
		case c == '"':
			s.pos++
			if decode {
				flush()
				if !ascii && !utf8.Valid(s.scratch) {
					s.scratch = fixUTF8(s.scratch)
				}
			}
			return nil
		case c < 0x20:
			return s.syntax("a control character in a string")
		}
		// a backslash escape
		s.pos++
		e, ok := s.next()
		if !ok {
			return s.syntax("unterminated string")
		}
		var out byte
		switch e {
		case '"', '\\', '/':
			out = e
		case 'b':
			out = '\b'
		case 'f':
			out = '\f'
		case 'n':
			out = '\n'
		case 'r':
			out = '\r'
		case 't':
			out = '\t'
		case 'u':
			r, err := s.hex4()
			if err != nil {
				return err
			}
			if !decode {
				continue
			}
			switch {
			case pend != 0 && r >= 0xDC00 && r <= 0xDFFF:
				s.scratch = utf8.AppendRune(s.scratch, utf16.DecodeRune(pend, r))
				pend = 0
			case r >= 0xD800 && r <= 0xDBFF:
				flush()
				pend = r
			case utf16.IsSurrogate(r):
				flush()
				s.scratch = utf8.AppendRune(s.scratch, utf8.RuneError)
			default:
				flush()
				s.scratch = utf8.AppendRune(s.scratch, r)
			}
			continue
		default:
			return s.syntax("an invalid escape in a string")
		}
		if decode {
			flush()
			s.scratch = append(s.scratch, out)
		}
	}
}

// plainRun counts the leading bytes of b that end nothing in a string:
// ASCII other than a quote, a backslash or a control. Eight at a time.
func plainRun(b []byte) int {
	const (
		ones  = 0x0101010101010101
		highs = 0x8080808080808080
	)
	i := 0
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:])
		q := x ^ ('"' * ones)
		bs := x ^ ('\\' * ones)
		if ((x-0x20*ones)&^x|(q-ones)&^q|(bs-ones)&^bs|x)&highs != 0 {
			break
		}
	}
	for i < len(b) {
		c := b[i]
		if c == '"' || c == '\\' || c < 0x20 || c >= 0x80 {
			return i
		}
		i++
	}
	return i
}

// fixUTF8 replaces each invalid byte with U+FFFD, as encoding/json does.
func fixUTF8(b []byte) []byte {
	out := make([]byte, 0, len(b)+8)
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size == 1 {
			out = utf8.AppendRune(out, utf8.RuneError)
		} else {
			out = append(out, b[:size]...)
		}
		b = b[size:]
	}
	return out
}

// next consumes one byte, white space included.
func (s *Decoder) next() (byte, bool) {
	if s.pos >= s.n && !s.fill() {
		return 0, false
	}
	c := s.buf[s.pos]
	s.pos++
	return c, true
}

func (s *Decoder) hex4() (rune, error) {
	var r rune
	for range 4 {
		c, ok := s.next()
		if !ok {
			return 0, s.syntax("unterminated string")
		}
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, s.syntax("an invalid \\u escape")
		}
		r = r<<4 | rune(c)
	}
	return r, nil
}

// readNumber reads a number, checking its grammar; its text is left in
// s.num (in place when the number lies within this chunk: valid until the
// next read).
func (s *Decoder) readNumber() error {
	i := s.pos
	for i < s.n && numberByte(s.buf[i]) {
		i++
	}
	if i < s.n {
		s.num = s.buf[s.pos:i]
		s.pos = i
	} else {
		// the number crosses a chunk: collect it
		s.scratch = append(s.scratch[:0], s.buf[s.pos:i]...)
		s.pos = i
		for s.fill() {
			i = 0
			for i < s.n && numberByte(s.buf[i]) {
				i++
			}
			s.scratch = append(s.scratch, s.buf[:i]...)
			s.pos = i
			if i < s.n {
				break
			}
		}
		s.num = s.scratch
	}
	if !validNumber(s.num) {
		if s.pos >= s.n && s.err != nil {
			return s.syntax("a number")
		}
		return &Error{Offset: s.offset(), Room: -1, Problem: fmt.Sprintf("malformed JSON at byte %d (number %q)", s.offset(), printable.Snippet(s.num))}
	}
	return nil
}

func numberByte(c byte) bool {
	return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'
}

// validNumber checks the JSON number grammar.
func validNumber(b []byte) bool {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	default:
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			return false
		}
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			return false
		}
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	}
	return i == len(b)
}

// readLiteral reads true, false or null.
func (s *Decoder) readLiteral(word string) error {
	for i := 0; i < len(word); i++ {
		c, ok := s.next()
		if !ok {
			return s.syntax("a literal")
		}
		if c != word[i] {
			s.pos--
			return s.syntax("an invalid literal")
		}
	}
	return nil
}

// kind names what the next value is, as encoding/json's type errors do.
func kindOf(c byte) string {
	switch c {
	case '"':
		return "string"
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "bool"
	case 'n':
		return "null"
	}
	return "number"
}

// skip reads and checks one value of any kind.
func (s *Decoder) skip(depth int) error {
	c, ok := s.peek()
	if !ok {
		return s.syntax("a value expected")
	}
	switch c {
	case '"':
		return s.readString(false)
	case 't':
		return s.readLiteral("true")
	case 'f':
		return s.readLiteral("false")
	case 'n':
		return s.readLiteral("null")
	case '{', '[':
		if depth >= maxDepth {
			return s.syntax("nested too deep")
		}
		s.pos++
		closing := byte('}')
		if c == '[' {
			closing = ']'
		}
		if b, ok := s.peek(); ok && b == closing {
			s.pos++
			return nil
		}
		for {
			if c == '{' {
				if err := s.readString(false); err != nil {
					return err
				}
				if err := s.expect(':', "a colon expected"); err != nil {
					return err
				}
			}
			if err := s.skip(depth + 1); err != nil {
				return err
			}
			if more, err := s.more(closing, "unterminated"); !more {
				return err
			}
		}
	}
	if c == '-' || (c >= '0' && c <= '9') {
		return s.readNumber()
	}
	return s.syntax("invalid character " + strconv.QuoteRune(rune(c)))
}

// object reads an object, calling field for each key (the key's text in
// s.scratch); field must read the value.
func (s *Decoder) object(field func(key []byte) error) error {
	if err := s.expect('{', "an object expected"); err != nil {
		return err
	}
	if b, ok := s.peek(); ok && b == '}' {
		s.pos++
		return nil
	}
	for {
		// the key stays valid until field reads the value; a switch on
		// string(key) does not allocate
		key, err := s.readKey()
		if err != nil {
			return err
		}
		if err := field(key); err != nil {
			return err
		}
		if more, err := s.more('}', "unterminated object"); !more {
			return err
		}
	}
}

// more reads what follows an item of an object or a list: true after a
// comma, false after closing (or with the error of anything else).
func (s *Decoder) more(closing byte, unterminated string) (bool, error) {
	b, ok := s.peek()
	if !ok {
		return false, s.syntax(unterminated)
	}
	s.pos++
	if b == closing {
		return false, nil
	}
	if b != ',' {
		s.pos--
		return false, s.syntax("a comma expected")
	}
	return true, nil
}

// readKey reads an object key and its colon. The common key (no escapes,
// all in this chunk, the colon right after) is returned in place.
func (s *Decoder) readKey() ([]byte, error) {
	if b, ok := s.peek(); ok && b == '"' {
		start := s.pos + 1
		end := start + plainRun(s.buf[start:s.n])
		if end+1 < s.n && s.buf[end] == '"' && s.buf[end+1] == ':' {
			s.pos = end + 2
			return s.buf[start:end], nil
		}
	}
	if err := s.readString(true); err != nil {
		return nil, err
	}
	if err := s.expect(':', "a colon expected"); err != nil {
		return nil, err
	}
	return s.scratch, nil
}

// typeError says that a field's value has the wrong kind.
func typeError(field, got, want string) error {
	return &Error{Room: -1, Field: field, Problem: fmt.Sprintf("field %s has the wrong type (a JSON %s where %s was expected)", field, got, want)}
}

// readInt reads a number into an integer field; null leaves it.
func (s *Decoder) readInt(field string, dst *int64) error {
	c, ok := s.peek()
	if !ok {
		return s.syntax("a value expected")
	}
	if c == 'n' {
		return s.readLiteral("null")
	}
	if c != '-' && (c < '0' || c > '9') {
		if err := s.skip(0); err != nil {
			return err
		}
		return typeError(field, kindOf(c), "a number")
	}
	if err := s.readNumber(); err != nil {
		return err
	}
	v, err := parseInt(s.num)
	if err != nil {
		return typeError(field, "number "+string(s.num), "a whole number")
	}
	*dst = v
	return nil
}

// parseInt reads a whole number; short plain ones without strconv.
func parseInt(b []byte) (int64, error) {
	if len(b) > 0 && len(b) < 19 && b[0] != '-' {
		var v int64
		for _, c := range b {
			if c < '0' || c > '9' {
				return strconv.ParseInt(string(b), 10, 64)
			}
			v = v*10 + int64(c-'0')
		}
		return v, nil
	}
	return strconv.ParseInt(string(b), 10, 64)
}

// readStr reads a string field; null leaves it.
func (s *Decoder) readStr(field string, dst *string) error {
	c, ok := s.peek()
	if !ok {
		return s.syntax("a value expected")
	}
	switch c {
	case 'n':
		return s.readLiteral("null")
	case '"':
		if err := s.readString(true); err != nil {
			return err
		}
		*dst = string(s.scratch)
		return nil
	}
	if err := s.skip(0); err != nil {
		return err
	}
	return typeError(field, kindOf(c), "a string")
}

// readBool reads a boolean field; null leaves it.
func (s *Decoder) readBool(field string, dst *bool) error {
	c, ok := s.peek()
	if !ok {
		return s.syntax("a value expected")
	}
	switch c {
	case 'n':
		return s.readLiteral("null")
	case 't':
		*dst = true
		return s.readLiteral("true")
	case 'f':
		*dst = false
		return s.readLiteral("false")
	}
	if err := s.skip(0); err != nil {
		return err
	}
	return typeError(field, kindOf(c), "a boolean")
}

// readLooseBool reads canEnableSIP the way models.Bool does: true/false,
// 0/1, "0"/"1", "true"/"false", "" and null.
func (s *Decoder) readLooseBool(field string, dst *models.Bool) error {
	c, ok := s.peek()
	if !ok {
		return s.syntax("a value expected")
	}
	var text []byte
	switch c {
	case 'n', 't', 'f', '{', '[':
		var b bool
		if c == 't' || c == 'f' || c == 'n' {
			if err := s.readBool(field, &b); err != nil {
				return err
			}
			*dst = models.Bool(b)
			return nil
		}
		if err := s.skip(0); err != nil {
			return err
		}
		return typeError(field, kindOf(c), "a boolean")
	case '"':
		if err := s.readString(true); err != nil {
			return err
		}
		text = append(append([]byte{'"'}, s.scratch...), '"')
	default:
		if err := s.readNumber(); err != nil {
			return err
		}
		text = s.num
	}
	if err := dst.UnmarshalJSON(text); err != nil {
		return typeError(field, kindOf(c)+" "+printable.Snippet(text), "a boolean")
	}
	return nil
}

// readRoom reads one room object of the list.
func (s *Decoder) readRoom(r *models.Room) error {
	var n int64
	i := func(f string, dst *int) error {
		c, _ := s.peek()
		if err := s.readInt(f, &n); err != nil {
			return err
		}
		if c != 'n' {
			*dst = int(n)
		}
		return nil
	}
	i64 := func(f string, dst *int64) error { return s.readInt(f, dst) }
	if s.opts.Lean {
		return s.object(func(key []byte) error {
			switch string(key) {
			case "token":
				return s.readStr("token", &r.Token)
			case "type":
				return i("type", (*int)(&r.Type))
			case "participantType":
				return i("participantType", (*int)(&r.ParticipantType))
			case "lastActivity":
				return i64("lastActivity", &r.LastActivity)
			}
			return s.skip(1)
		})
	}
	return s.object(func(key []byte) error {
		switch string(key) {
		case "id":
			return i64("id", &r.ID)
		case "token":
			return s.readStr("token", &r.Token)
		case "type":
			return i("type", (*int)(&r.Type))
		case "name":
			return s.readStr("name", &r.Name)
		case "displayName":
			return s.readStr("displayName", &r.DisplayName)
		case "description":
			return s.readStr("description", &r.Description)
		case "participantType":
			return i("participantType", (*int)(&r.ParticipantType))
		case "permissions":
			return i("permissions", &r.Permissions)
		case "defaultPermissions":
			return i("defaultPermissions", &r.DefaultPermissions)
		case "lobbyState":
			return i("lobbyState", (*int)(&r.LobbyState))
		case "lobbyTimer":
			return i64("lobbyTimer", &r.LobbyTimer)
		case "sipEnabled":
			return i("sipEnabled", (*int)(&r.SIPEnabled))
		case "canEnableSIP":
			return s.readLooseBool("canEnableSIP", &r.CanEnableSIP)
		case "attendeePin":
			return s.readStr("attendeePin", &r.AttendeePin)
		case "hasCall":
			return s.readBool("hasCall", &r.HasCall)
		case "callFlag":
			return i("callFlag", &r.CallFlag)
		case "callStartTime":
			return i64("callStartTime", &r.CallStartTime)
		case "readOnly":
			return i("readOnly", &r.ReadOnly)
		case "lastActivity":
			return i64("lastActivity", &r.LastActivity)
		case "isFavorite":
			return s.readBool("isFavorite", &r.IsFavorite)
		case "objectType":
			return s.readStr("objectType", &r.ObjectType)
		case "objectId":
			return s.readStr("objectId", &r.ObjectID)
		case "breakoutRoomMode":
			return i("breakoutRoomMode", &r.BreakoutRoomMode)
		case "remoteServer":
			return s.readStr("remoteServer", &r.RemoteServer)
		}
		return s.skip(1)
	})
}

// rawArena holds the rooms' raw bytes in large blocks: one allocation
// per 256 KB, not one per room, and no copy in between. With a copier,
// the block's bytes are written by it, or by the decoder when the copier
// is behind; what was handed over to the copier is never written again,
// so the two never write the same bytes.
type rawArena struct {
	block []byte
	start int // where the current recording starts in block

	copier *copier
	copies []rawCopy // copies from the current chunk not handed over yet
	sent   int       // block[:sent] is written or handed over: never rewound
}

// rawCopy is a copy of src to block[at:].
type rawCopy struct {
	src []byte
	at  int
}

// copier copies the rooms' bytes into the arena's block behind the
// decoder, a chunk at a time.
type copier struct {
	jobs chan copyJob // in the order of the body
	free chan copyJob // jobs done that had a chunk, to use again
	done chan struct{}
}

// copyJob is a chunk's copies; chunk, when set, goes back to free after.
type copyJob struct {
	copies []rawCopy
	chunk  []byte
}

// startCopier sizes the block for size bytes and starts a copier with
// chunks chunks the size of chunk in all (1: the decoder makes every copy).
func (a *rawArena) startCopier(size int64, chunk []byte, chunks int) {
	block := make([]byte, size)
	a.block = block[:0]
	c := &copier{
		jobs: make(chan copyJob, chunks),
		free: make(chan copyJob, chunks),
		done: make(chan struct{}),
	}
	for range chunks - 1 {
		c.free <- copyJob{chunk: make([]byte, len(chunk))}
	}
	a.copier = c
	go func() {
		defer close(c.done)
		for j := range c.jobs {
			for _, cp := range j.copies {
				copy(block[cp.at:], cp.src)
			}
			if j.chunk != nil {
				c.free <- copyJob{copies: j.copies[:0], chunk: j.chunk}
			}
		}
	}()
}

// handOver gives the copier the copies out of chunk, and chunk with them,
// and returns a chunk to read into next. When the copier has no chunk
// free, the copies are made here and chunk is read into again.
func (a *rawArena) handOver(chunk []byte) []byte {
	select {
	case next := <-a.copier.free:
		a.copier.jobs <- copyJob{copies: a.copies, chunk: chunk}
		a.copies = next.copies
		a.sent = len(a.block)
		return next.chunk
	default:
		for _, cp := range a.copies {
			copy(a.block[cp.at:], cp.src)
		}
		a.copies = a.copies[:0]
		return chunk
	}
}

// stopCopier hands over the last copies and waits until all are done.
func (a *rawArena) stopCopier() {
	if a.copier == nil {
		return
	}
	a.copier.jobs <- copyJob{copies: a.copies}
	a.copies = nil
	close(a.copier.jobs)
	<-a.copier.done
	a.copier = nil
	a.sent = 0
}

// add appends to the current recording; a recording that outgrows the
// block moves to a new one (after the copier's work, which then ends).
func (a *rawArena) add(b []byte) {
	if a.copier != nil && len(b) <= cap(a.block)-len(a.block) {
		a.copies = append(a.copies, rawCopy{src: b, at: len(a.block)})
		a.block = a.block[:len(a.block)+len(b)]
		return
	}
	a.stopCopier()
	if len(b) > cap(a.block)-len(a.block) {
		cur := a.block[a.start:]
		nb := make([]byte, 0, max(256<<10, 2*(len(cur)+len(b))))
		a.block = append(nb, cur...)
		a.start = 0
	}
	a.block = append(a.block, b...)
}

// drop gives back the space of the last recording, but for the part
// already handed over to the copier (a gap between two kept rooms).
func (a *rawArena) drop() {
	a.block = a.block[:max(a.start, a.sent)]
	for len(a.copies) > 0 && a.copies[len(a.copies)-1].at >= len(a.block) {
		a.copies = a.copies[:len(a.copies)-1]
	}
}

// Answer is what Decode found in a body.
type Answer struct {
	Meta      Meta
	HasOCS    bool // the body has an "ocs" object
	Rooms     []models.Room
	NotObject bool // the body is not a JSON object: nothing else was read
}

// Meta is the OCS envelope's meta block.
type Meta struct {
	Status     string
	StatusCode int
	Message    string
}

// Decode reads {"ocs":{"meta":{...},"data":[room,...]}}. An error is a
// *Error for a problem in the body, else the read error.
func (s *Decoder) Decode() (Answer, error) {
	if s.opts.KeepRaw && s.opts.SizeHint > 0 && s.opts.SizeHint >= s.copyFrom && s.arena.block == nil {
		s.arena.startCopier(s.opts.SizeHint, s.buf, s.copyChunks)
		defer s.arena.stopCopier()
	}
	var ans Answer
	c, ok := s.peek()
	if !ok || c != '{' {
		ans.NotObject = true
		return ans, nil
	}
	err := s.object(func(key []byte) error {
		if string(key) != "ocs" {
			return s.skip(1)
		}
		if c, ok := s.peek(); ok && c != '{' {
			return s.skip(1) // not an envelope: said below
		}
		ans.HasOCS = true
		return s.object(func(key []byte) error {
			switch string(key) {
			case "meta":
				if c, ok := s.peek(); ok && c != '{' {
					return s.skip(1)
				}
				return s.object(func(key []byte) error {
					switch string(key) {
					case "status":
						return s.readStr("meta.status", &ans.Meta.Status)
					case "statuscode":
						var v int64
						if err := s.readInt("meta.statuscode", &v); err != nil {
							return err
						}
						ans.Meta.StatusCode = int(v)
						return nil
					case "message":
						return s.readStr("meta.message", &ans.Meta.Message)
					}
					return s.skip(2)
				})
			case "data":
				return s.roomArray(&ans.Rooms)
			}
			return s.skip(2)
		})
	})
	if err != nil {
		return ans, err
	}
	if _, ok := s.peek(); ok {
		return ans, s.syntax("data after the end of the answer")
	}
	if err := s.ReadErr(); err != nil {
		return ans, err
	}
	return ans, nil
}

// roomArray reads data: a list of rooms (null: none).
func (s *Decoder) roomArray(out *[]models.Room) error {
	c, ok := s.peek()
	if !ok {
		return s.syntax("a value expected")
	}
	switch c {
	case 'n':
		return s.readLiteral("null")
	case '[':
	default:
		if err := s.skip(0); err != nil {
			return err
		}
		return typeError("data", kindOf(c), "a list")
	}
	s.pos++
	rooms := make([]models.Room, 0, 256)
	if b, ok := s.peek(); ok && b == ']' {
		s.pos++
		*out = rooms
		return nil
	}
	for idx := 0; ; idx++ {
		c, ok := s.peek()
		if !ok {
			return s.syntax("unterminated list")
		}
		rooms = append(rooms, models.Room{})
		r := &rooms[len(rooms)-1]
		if s.opts.KeepRaw {
			s.startRecording()
		}
		var err error
		switch c {
		case '{':
			err = s.readRoom(r)
		case 'n':
			err = s.readLiteral("null")
		default:
			if err = s.skip(0); err == nil {
				err = typeError("data", kindOf(c), "a room object")
			}
		}
		if err != nil {
			var se *Error
			if errors.As(err, &se) {
				se.Room = idx
			}
			return err
		}
		var raw []byte
		if s.opts.KeepRaw {
			raw = s.stopRecording()
		}
		if s.opts.Keep != nil && !s.opts.Keep(*r) {
			rooms = rooms[:len(rooms)-1]
			if s.opts.KeepRaw {
				s.arena.drop()
			}
		} else {
			r.Raw = raw
		}
		if idx == 0 && s.opts.SizeHint > 0 {
			// size the list from the first room and the body's length
			// (at most 100,000 rooms ahead), instead of growing it
			if per := s.offset(); per > 0 {
				est := min(s.opts.SizeHint*5/(4*per)+16, 100_000)
				if est > int64(cap(rooms)) {
					rooms = append(make([]models.Room, 0, est), rooms...)
				}
			}
		}
		more, err := s.more(']', "unterminated list")
		if err != nil {
			return err
		}
		if !more {
			*out = rooms
			return nil
		}
	}
}
