#!/bin/sh
# Remake the sweep plots shown in the README (run from the repository root; about 5 s on 2 cores).
set -e
thread-kitchen sweep docs/sweeps/pantry.toml --vary 'tasks[0].count=100:3000:100' \
    --metric kernel_memory_peak_kib --plot docs/images/sweep-pantry.png
thread-kitchen sweep docs/sweeps/chefs.toml --vary 'panes[0].kernel_threads=1:16:1' \
    --metric utilization --plot docs/images/sweep-chefs.png
thread-kitchen sweep docs/sweeps/bakery.toml --vary 'neighbors[0].threads=1:32:1' \
    --metric cpu_share.ours --plot docs/images/sweep-bakery.png
