# SPDX-License-Identifier: GPL-2.0-or-later
# The table of `make bench`: awk -f bench_table.awk [-v medians=FILE] ROWS RESULTS
#
# RESULTS: lines "ID VALUE" as the bench programs print them, an ID as
# often as it was measured (the table shows the median), or "ID.limit
# COUNT WHY" where a curve stopped, or "ID - WHY" for a figure that could
# not be measured.
# ROWS: "= TITLE" starts a section; "ID|WHAT|UNIT|REF|GOAL|GOAL TEXT" is a
# row: the median of ID, its ratio to the median of REF, and the goal,
# space-separated terms "OTHER<=X" or "OTHER<X" (the ratio of ID to
# OTHER), all of which must hold. With -v medians=FILE the medians of
# every ID are also written to FILE, for bench_plot.sh.
function median(id,    n, i, j, t, a) {
	n = split(vals[id], a, " ")
	for (i = 2; i <= n; i++) {	# insertion sort: a handful of values
		t = a[i] + 0
		for (j = i - 1; j >= 1 && a[j] + 0 > t; j--)
			a[j + 1] = a[j]
		a[j + 1] = t
	}
	return a[int((n + 1) / 2)] + 0
}
function known(id) { return id in vals }
# why ID is missing: its own note, or the ".limit" of a curve it belongs to
function missing(id,    p) {
	if (id in note)
		return note[id]
	p = id
	while (match(p, /[.@][^.@]*$/)) {
		p = substr(p, 1, RSTART - 1)
		if ((p ".limit") in note)
			return note[p ".limit"]
	}
	return "not measured"
}
function fmt(v, unit) {
	if (unit == "ns" && v >= 100000)
		return sprintf("%.0f us", v / 1000)
	return sprintf(v >= 100 ? "%.0f %s" : "%.1f %s", v, unit)
}
# does the goal hold? "" when it cannot be told
function met(id, goal,    n, i, t, op, ref, lim, r) {
	n = split(goal, t, " ")
	for (i = 1; i <= n; i++) {
		if (!match(t[i], /<=?/))
			return "?"
		ref = substr(t[i], 1, RSTART - 1)
		op = substr(t[i], RSTART, RLENGTH)
		lim = substr(t[i], RSTART + RLENGTH) + 0
		if (!known(ref) || median(ref) <= 0)
			return "?"
		r = median(id) / median(ref)
		if (op == "<=" ? r > lim + 1e-9 : r >= lim)
			return "no"
	}
	return "yes"
}
BEGIN { FS = "|"; W = 46 }
FNR == 1 { file++ }
file == 1 && /^[^#]/ && NF { next_rows[++nrows] = $0; next }
file == 2 {
	split($0, f, " ")
	if (f[2] == "-" || f[1] ~ /\.limit$/) {
		note[f[1]] = (f[1] ~ /\.limit$/) ? "stopped at " f[2] ": " f[3] : substr($0, length(f[1]) + 4)
		next
	}
	if (f[1] != "" && f[2] ~ /^[0-9.]+$/)
		vals[f[1]] = (f[1] in vals) ? vals[f[1]] " " f[2] : f[2]
}
END {
	printf "%-" W "s %10s %8s  %-32s %s\n", "what", "median", "ratio", "goal (ratio)", "met"
	for (k = 1; k <= nrows; k++) {
		row = next_rows[k]
		if (row ~ /^= /) {
			printf "\n%s\n", substr(row, 3)
			continue
		}
		split(row, c, "|")
		id = c[1]; what = c[2]; unit = c[3]; ref = c[4]; goal = c[5]; gtext = c[6]
		if (!known(id)) {
			printf "  %-" (W - 2) "s %10s %8s  %s\n", what, "-", "", "(" missing(id) ")"
			continue
		}
		v = median(id)
		ratio = (ref != "" && known(ref) && median(ref) > 0) ? sprintf("%.2f", v / median(ref)) : ""
		m = goal != "" ? met(id, goal) : ""
		printf "  %-" (W - 2) "s %10s %8s  %-32s %s\n", what, fmt(v, unit), ratio, gtext, m
		if (m == "yes") goals_met++
		if (m == "no") goals_missed++
	}
	printf "\ngoals met: %d of %d\n", goals_met, goals_met + goals_missed
	if (medians != "")
		for (id in vals)
			printf "%s %s\n", id, median(id) > medians
}
