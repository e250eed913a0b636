package tui

import "github.com/talkmod/talkmod/tui/common"

// Backend is what the console asks of the server (common.Backend).
// *client.Client satisfies it; tests use a fake.
type Backend = common.Backend
