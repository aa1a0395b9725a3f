#!/usr/bin/env bash
# Assembles every kernel's PTX (as the tests compile it: sm_90, PTX ISA 7.8) with NVIDIA's ptxas,
# as the CUDA driver's JIT would, and prints each kernel's registers, shared memory and spills.
# The tests check what they can without it (no extern calls, no local memory); this catches the
# rest before device time is spent. ptxas: $PTXAS, else on the PATH (CUDA 11.8 or later; e.g.
# Debian's non-free nvidia-cuda-toolkit package, unpacked with dpkg -x).
set -euo pipefail
cd "$(dirname "$0")/.."
ptxas="${PTXAS:-$(command -v ptxas || true)}"
[ -x "$ptxas" ] || { echo "check-ptx: no ptxas (set PTXAS=/path/to/ptxas)" >&2; exit 2; }
dir="$(mktemp -d)"
GCT_PTX_DIR="$dir" dotnet test tests -c Release --filter "FullyQualifiedName~Every_kernel_compiles_to_ptx" -v q --nologo > /dev/null
failed=0
for f in "$dir"/*.ptx; do
  if info=$("$ptxas" -arch=sm_90 -v -o /dev/null "$f" 2>&1); then
    echo "$(basename "$f" .ptx): $(echo "$info" | grep -oE 'Used [0-9]+ registers(, [0-9]+ bytes smem)?|[0-9]+ bytes spill stores' | paste -sd, -)"
  else
    echo "$(basename "$f" .ptx): FAILED"; echo "$info"; failed=1
  fi
done
exit $failed
