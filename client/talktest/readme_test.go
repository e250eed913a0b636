package talktest

import (
	"os"
	"strings"
	"testing"
)

// TestREADMEListsTheDemoRooms keeps the README's table of demo webinars in
// step with the rooms StartDemo seeds.
func TestREADMEListsTheDemoRooms(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{DemoAllHands, DemoLaunch, DemoOnboarding, DemoWorkshop, DemoBreakout,
		DemoAdvisoryBoard, DemoHotline, DemoTownHall, DemoCEO, DemoMarketing, DemoWaitingRoom,
		DemoBranchKickoff, DemoBranchTraining} {
		if !strings.Contains(string(readme), name) {
			t.Errorf("README.md does not list the demo room %q", name)
		}
	}
}
