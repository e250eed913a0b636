package recorded

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// RoomList builds the body of an n-room list answer in the shape of the
// recorded rooms (all 52 fields, lastMessage included), with ids 1..n,
// tokens "tok0000000".. and names "Webinar 0"...
func RoomList(n int) ([]byte, error) {
	rec, err := Load("R01-room-list-admin")
	if err != nil {
		return nil, err
	}
	var env struct {
		OCS struct {
			Data []map[string]any `json:"data"`
		} `json:"ocs"`
	}
	if err := json.Unmarshal(rec.First().Body, &env); err != nil {
		return nil, err
	}
	if len(env.OCS.Data) == 0 {
		return nil, fmt.Errorf("%s: no rooms", rec.Name)
	}
	rooms := make([]map[string]any, n)
	for i := range rooms {
		r := map[string]any{}
		for k, v := range env.OCS.Data[i%len(env.OCS.Data)] {
			r[k] = v
		}
		r["id"] = i + 1
		r["token"] = fmt.Sprintf("tok%07d", i)
		r["displayName"] = fmt.Sprintf("Webinar %d", i)
		rooms[i] = r
	}
	var buf bytes.Buffer
	buf.WriteString(`{"ocs":{"meta":{"status":"ok","statuscode":200,"message":"OK"},"data":`)
	if err := json.NewEncoder(&buf).Encode(rooms); err != nil {
		return nil, err
	}
	buf.WriteString(`}}`)
	return buf.Bytes(), nil
}
