package client

import (
	"fmt"
	"net/http"

	"github.com/talkmod/talkmod/models"
)

// chatOps are the chat's operations (chat.go): their errors have words of
// their own.
var chatOps = map[string]bool{opChatRead: true, opChatPoll: true, opChatPost: true, opChatDelete: true, opReadOnly: true}

// explainChat says in plain words what a chat or read-only answer means
// [real M14-M99]; ok is false for the errors every call shares.
func explainChat(e *APIError) (string, bool) {
	if !chatOps[e.Op] {
		return "", false
	}
	switch e.HTTPStatus {
	case http.StatusPreconditionFailed:
		if e.CSRF {
			return "", false
		}
		return "you are waiting in the lobby of this conversation: while its lobby is on, only moderators and people let in can read or write its chat (412)", true
	case http.StatusForbidden:
		switch {
		case e.Op == opReadOnly:
			return "you are not a moderator of this conversation: only moderators can lock or unlock its chat (403)", true
		case e.Op == opChatDelete && e.Reason == "permission":
			return "you may delete only your own messages here: moderators can delete others' messages, but not in one-to-one conversations (403)", true
		case e.Op == opChatDelete:
			return "the conversation is read-only (locked): nothing can be deleted until a moderator unlocks it (403)", true
		case e.Op == opChatPost:
			return "the conversation is read-only (locked), or you may not chat in it: while it is locked nobody can write, moderators included (403)", true
		}
		return "the conversation is read-only for you, or you may not read its chat (403)", true
	case http.StatusNotFound:
		if e.Op == opChatDelete && e.Reason == "message" {
			return "there is no such message in this conversation (404)", true
		}
		if e.Op == opChatDelete {
			return "the conversation is gone, or you are not in it; guests cannot delete messages (404)", true
		}
		return "the conversation is gone, or you are not in it (404)", true
	case http.StatusMethodNotAllowed:
		return "this message cannot be deleted: it is a system message or was already deleted (405)", true
	case http.StatusRequestEntityTooLarge:
		return fmt.Sprintf("the message is too long: at most %d characters (413)", models.MaxMessageLength), true
	case http.StatusBadRequest:
		switch e.Reason {
		case "message":
			return "the message is empty: write something first (400)", true
		case "reply-to":
			return "that message cannot be answered: it is unknown here, or a system message (400)", true
		case "type":
			return "only group and public conversations can be locked (400)", true
		case "value":
			return "the server refused the read-only state sent (400): this is a talkmod bug, please report it", true
		}
	case http.StatusTooManyRequests:
		return "the server is limiting how fast this account may chat (429): wait a little, then try again", true
	}
	return "", false
}
