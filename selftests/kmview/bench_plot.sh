#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench_plot.sh MEDIANS OUT.svg [TITLE]: the curves of `make bench` (the
# "ID@N VALUE" medians bench.sh wrote) as four log-log panels: cost per
# call against members at once, against mounts, per entry against the
# directory's size, and against open virtual files. Needs gnuplot.
set -eu
med=$1 svg=$2 title=${3:-kmview make bench}
command -v gnuplot >/dev/null || { echo "bench_plot.sh: no gnuplot (apt-get install gnuplot-nox)" >&2; exit 1; }

# the points of one curve, sorted by N, as a gnuplot data block
block() { # NAME ID
	echo "\$$1 << EOD"
	awk -v id="$2" 'index($1, id "@") == 1 { n = substr($1, length(id) + 2); print n, $2 }' "$med" |
		sort -n
	echo "EOD"
}
lines='with linespoints lw 2 pt 7'
{
	block gp members.getppid
	block sr members.stat.real
	block sb members.stat.bind
	block mr mounts.real
	block mb mounts.bind
	block dn dir.native
	block db dir.bind
	block vf vfiles
	cat <<-GP
	set terminal svg size 1100,800 dynamic font "sans,11"
	set output "$svg"
	set multiplot layout 2,2 title "$title"
	set logscale xy
	set grid
	set key bottom right opaque box
	set ylabel "ns per call"
	set xlabel "members of one view at once"
	plot \$gp $lines title "getppid", \$sr $lines title "stat, real path", \$sb $lines title "stat through a vufs bind"
	set xlabel "vufs mounts in the view"
	plot \$mr $lines title "stat, real path", \$mb $lines title "stat through one bind"
	set xlabel "entries in the directory"
	set ylabel "ns per entry (readdir)"
	plot \$dn $lines title "native", \$db $lines title "through a vufs bind"
	set xlabel "virtual files open"
	set ylabel "ns per fstat"
	plot \$vf $lines title "fstat of one of them"
	unset multiplot
	GP
} | gnuplot
