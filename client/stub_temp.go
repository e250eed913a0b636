package client

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/talkmod/talkmod/models"
)

// TEMPORARY: the real implementation is being written; this file keeps the
// surface compiling for the packages built against it.

var errTODO = errors.New("not implemented yet")

type Client struct{ cfg Config }

type loginConfig struct{}

type LoginOption func(*loginConfig)

func New(cfg Config) (*Client, error)      { return nil, errTODO }
func (c *Client) BaseURL() string          { return "" }
func (c *Client) User() string             { return "" }
func (c *Client) SetLogger(l *slog.Logger) {}
func (c *Client) Capabilities(ctx context.Context) (models.Capabilities, error) {
	return models.Capabilities{}, errTODO
}
func (c *Client) ListRooms(ctx context.Context, o ListOptions) (*RoomList, error) {
	return nil, errTODO
}
func (c *Client) GetRoom(ctx context.Context, token string) (models.Room, error) {
	return models.Room{}, errTODO
}
func (c *Client) SetLobby(ctx context.Context, token string, state models.LobbyState, timer *time.Time) (models.Room, error) {
	return models.Room{}, errTODO
}
func (c *Client) SetSIP(ctx context.Context, token string, state models.SIPState) (models.Room, error) {
	return models.Room{}, errTODO
}
func (c *Client) Participants(ctx context.Context, token string) ([]models.Participant, error) {
	return nil, errTODO
}
func (c *Client) CurrentUser(ctx context.Context) (models.User, error) { return models.User{}, errTODO }
func (c *Client) RevokeAppPassword(ctx context.Context) error          { return errTODO }
func StartLogin(ctx context.Context, serverURL string, opts ...LoginOption) (*LoginFlow, error) {
	return nil, errTODO
}
func PollLogin(ctx context.Context, flow *LoginFlow) (*LoginResult, error) { return nil, errTODO }
func LoginInsecureHTTP() LoginOption                                       { return nil }
func LoginUserAgent(ua string) LoginOption                                 { return nil }
func ValidateLobbyTimer(now, t time.Time) error                            { return errTODO }
