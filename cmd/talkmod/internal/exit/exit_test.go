package exit

import "testing"

func TestWorstExit(t *testing.T) {
	for _, c := range []struct {
		codes []int
		want  int
	}{
		{nil, 0}, {[]int{0, 0}, 0}, {[]int{2, 1}, 1}, {[]int{2, 7, 1}, 7}, {[]int{7, 6}, 6}, {[]int{6, 5}, 5},
		{[]int{5, 4}, 4}, {[]int{4, 3}, 3}, {[]int{3, 8}, 8}, {[]int{8, 9, 0}, 9}, {[]int{2, 0}, 2}, {[]int{42, 2}, 1},
	} {
		if got := Worst(c.codes...); got != c.want {
			t.Errorf("Worst(%v) = %d, want %d", c.codes, got, c.want)
		}
	}
}

func TestSeverityOrder(t *testing.T) {
	order := []int{9, 8, 3, 4, 5, 6, 7, 1, 2}
	for i := 1; i < len(order); i++ {
		if Worst(order[i-1], order[i]) != order[i-1] || Worst(order[i], order[i-1]) != order[i-1] {
			t.Errorf("exit %d is not more severe than %d", order[i-1], order[i])
		}
	}
}
