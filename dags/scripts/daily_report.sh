#!/usr/bin/env bash
# Daily report for one KST day: daily_report.sh YESTERDAY TODAY (both YYYY-MM-DD, Asia/Seoul).
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 YESTERDAY TODAY" >&2
  exit 2
fi
echo "daily report for ${1} (KST) generated on ${2} (KST)"
