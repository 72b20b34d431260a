#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A real workload whose output must be the same natively and in a view:
# pipes, subshells, fork/exec chains, signals, a threaded C program built
# with gcc, and python3. Run by transparency.sh; prints no paths or pids.
set -u
w=$(mktemp -d /tmp/kmview-wl.XXXXXX)

echo "pipes: $(seq 1 2000 | awk '{s += $1} END {print s}')"
echo "subshell: $( (cd /etc && ls -d passwd group) | tr '\n' ' ')"
echo "nested: $(echo "$(echo "$(echo deep)")")"
printf '%s\n' c b a | sort | tr '\n' ' '
echo
while read -r x; do echo "line $x"; done < <(printf '1\n2\n')
cat <<EOT | wc -l
one
two
EOT
bash -c 'bash -c "sh -c \"echo chain\""'
seq 1 50 | xargs -n 10 echo | wc -l
find /usr/include/linux -maxdepth 1 -name 'k*.h' | sort | head -5
bash -c 'trap "echo got USR1" USR1; kill -USR1 $$; echo after'
sleep 10 &
p=$!
kill "$p"
wait "$p"
echo "killed status $?"
(trap 'echo child INT' INT; kill -INT "$BASHPID"; echo child done)
echo 'ls -d /' > "$w/s.sh" && chmod +x "$w/s.sh" && "$w/s.sh"

cat > "$w/t.c" <<'EOC'
#include <pthread.h>
#include <stdio.h>

static long sums[8];

static void *work(void *a)
{
	long i = (long)a, s = 0, k;

	for (k = 0; k < 100000; k++)
		s += k % (i + 1);
	sums[i] = s;
	return NULL;
}

int main(void)
{
	pthread_t t[8];
	long total = 0, i;

	for (i = 0; i < 8; i++)
		pthread_create(&t[i], NULL, work, (void *)i);
	for (i = 0; i < 8; i++) {
		pthread_join(t[i], NULL);
		total += sums[i];
	}
	printf("threads: %ld\n", total);
	return 0;
}
EOC
gcc -O1 -pthread -o "$w/t" "$w/t.c" && "$w/t"
if command -v python3 >/dev/null; then
	python3 -c 'import subprocess, threading
t = threading.Thread(target=lambda: None); t.start(); t.join()
print("python", sum(range(10**5)), subprocess.run(["echo", "sub"], capture_output=True, text=True).stdout.strip())'
fi
sh -c 'exit 3'
echo "status $?"
rm -rf "$w"
