package talktest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

// spreedCapabilities is the spreed block of Talk 21.0.0-beta.2 as recorded
// (testdata/recorded/00-capabilities-spreed.json); %%[1]s is
// config.call.sip-enabled, %%[2]s config.call.can-enable-sip.
const spreedCapabilities = `{"features":["audio","video","chat-v2","conversation-v4","guest-signaling","empty-group-room","guest-display-names","multi-room-users","favorites","last-room-activity","no-ping","system-messages","delete-messages","mention-flag","in-call-flags","conversation-call-flags","notification-levels","invite-groups-and-mails","locked-one-to-one-rooms","read-only-rooms","listable-rooms","chat-read-marker","chat-unread","webinary-lobby","start-call-flag","chat-replies","circles-support","force-mute","sip-support","sip-support-nopin","chat-read-status","phonebook-search","raise-hand","room-description","rich-object-sharing","temp-user-avatar-api","geo-location-sharing","voice-message-sharing","signaling-v3","publishing-permissions","clear-history","direct-mention-flag","notification-calls","conversation-permissions","rich-object-list-media","rich-object-delete","unified-search","chat-permission","silent-send","silent-call","send-call-notification","talk-polls","breakout-rooms-v1","recording-v1","avatar","chat-get-context","single-conversation-status","chat-keep-notifications","typing-privacy","remind-me-later","bots-v1","markdown-messages","media-caption","session-state","note-to-self","recording-consent","sip-support-dialout","delete-messages-unlimited","edit-messages","silent-send-state","chat-read-last","federation-v1","federation-v2","ban-v1","chat-reference-id","mention-permissions","edit-messages-note-to-self","archived-conversations-v2","talk-polls-drafts","download-call-participants","email-csv-import","conversation-creation-password","call-notification-state-api","schedule-meeting","reactions"],"features-local":["favorites","chat-read-status","listable-rooms","phonebook-search","temp-user-avatar-api","unified-search","avatar","remind-me-later","note-to-self","archived-conversations-v2","chat-summary-api","call-notification-state-api","schedule-meeting"],"config":{"attachments":{"allowed":true,"folder":"/Talk"},"call":{"enabled":true,"breakout-rooms":true,"recording":false,"recording-consent":0,"supported-reactions":["❤️","🎉","👏","👋","👍","👎","🔥","😂","🤩","🤔","😲","😥"],"can-upload-background":true,"sip-enabled":%[1]s,"sip-dialout-enabled":false,"can-enable-sip":%[2]s,"start-without-media":false,"max-duration":0,"blur-virtual-background":false,"end-to-end-encryption":false,"predefined-backgrounds":["1_office.jpg","2_home.jpg","3_abstract.jpg","4_beach.jpg","5_park.jpg","6_theater.jpg","7_library.jpg","8_space_station.jpg"]},"chat":{"max-length":32000,"read-privacy":0,"has-translation-providers":false,"has-translation-task-providers":false,"typing-privacy":0,"summary-threshold":100},"conversations":{"can-create":true,"force-passwords":false,"list-style":"two-lines","description-length":2000},"federation":{"enabled":false,"incoming-enabled":false,"outgoing-enabled":false,"only-trusted-servers":true},"previews":{"max-gif-size":3145728},"signaling":{"session-ping-limit":200,"hello-v2-token-key":"-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEhu5ct+oaTPeNSlG7NpnZYZNlBZuw\nEAVybOAD5H8/u6TELl7lkDbHX524n+pC7dvABZIYds0TVHO91szt+BOS9g==\n-----END PUBLIC KEY-----\n"}},"config-local":{"attachments":["allowed","folder"],"call":["predefined-backgrounds","can-upload-background","start-without-media","blur-virtual-background"],"chat":["read-privacy","has-translation-providers","has-translation-task-providers","typing-privacy","summary-threshold"],"conversations":["can-create","list-style","description-length"],"federation":["enabled","incoming-enabled","outgoing-enabled","only-trusted-servers"],"previews":["max-gif-size"],"signaling":["session-ping-limit","hello-v2-token-key"]},"version":"21.0.0-beta.2"}`

const coreCapabilities = `{"pollinterval":60,"webdav-root":"remote.php/webdav","reference-api":true,"mod-rewrite-working":false}`

type versionJSON struct {
	Major           int    `json:"major"`
	Minor           int    `json:"minor"`
	Micro           int    `json:"micro"`
	String          string `json:"string"`
	Edition         string `json:"edition"`
	ExtendedSupport bool   `json:"extendedSupport"`
}

type capabilitiesJSON struct {
	Version      versionJSON `json:"version"`
	Capabilities struct {
		Core       json.RawMessage `json:"core"`
		Bruteforce struct {
			Delay       int  `json:"delay"`
			AllowListed bool `json:"allow-listed"`
		} `json:"bruteforce"`
		Spreed json.RawMessage `json:"spreed"`
	} `json:"capabilities"`
}

// handleCapabilities serves GET /cloud/capabilities: Nextcloud 31.0.6 with
// the Talk 21 spreed block, sip-enabled = the SIP bridge is configured,
// can-enable-sip = the user is in the SIP groups (false for anonymous).
func (s *Server) handleCapabilities(rw *respWriter, r *http.Request, uid string) {
	s.mu.Lock()
	sip := s.sipConfigured
	can := uid != "" && s.inSIPGroupsLocked(uid)
	delay := s.throttleMSLocked(clientIP(r))
	s.mu.Unlock()
	var c capabilitiesJSON
	c.Version = versionJSON{Major: 31, Minor: 0, Micro: 6, String: "31.0.6"}
	c.Capabilities.Core = json.RawMessage(coreCapabilities)
	c.Capabilities.Bruteforce.Delay = delay
	c.Capabilities.Spreed = json.RawMessage(fmt.Sprintf(spreedCapabilities, strconv.FormatBool(sip), strconv.FormatBool(can)))
	rw.ocs(controllerFormat(r), http.StatusOK, 200, "OK", c)
}
