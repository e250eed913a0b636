package models

// Capabilities is what talkmod needs of the server's capabilities.
type Capabilities struct {
	// Known is false for the zero value: nothing was read yet.
	Known bool
	// HasTalk is false when the capabilities carry no "spreed" block: Talk
	// is not installed, or the user is not allowed to use it.
	HasTalk bool
	// ServerVersion is Nextcloud's version string, e.g. "31.0.6".
	ServerVersion string
	// TalkVersion is Talk's version string, e.g. "21.0.0-beta.2".
	TalkVersion string
	// Features is the set of spreed feature names.
	Features map[string]bool
	// SIPConfigured is config.call.sip-enabled (nil on servers before Talk 18).
	SIPConfigured *bool
	// CanEnableSIP is config.call.can-enable-sip: the user is in the SIP
	// groups (nil on servers before Talk 18).
	CanEnableSIP *bool
}

// Has reports whether the server announces a feature.
func (c Capabilities) Has(feature string) bool { return c.Features[feature] }

// SIPNoPIN reports whether SIP state 2 (dial-in without PIN) is accepted.
func (c Capabilities) SIPNoPIN() bool { return c.Has(FeatureSIPNoPIN) }
