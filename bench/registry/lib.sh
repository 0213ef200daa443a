# Shared by the registry benchmarks in this folder (sourced, not run).

# arguments <published host folder> [backends...]: sets host (absolute) and backends (default: filesystem s3).
arguments() {
  host="$(cd "$1" && pwd)"
  shift
  backends=("${@:-filesystem s3}")
  read -r -a backends <<<"${backends[*]}"
}

# config <server go|ours> <backend filesystem|s3> <root> <port>: one storage on both servers' terms. For s3
# the REGSTORE_TEST_S3_* variables of the ceph service; distribution's s3-aws takes no forcepathstyle.
config() {
  echo "version: 0.1"
  echo "log: { level: error, accesslog: { disabled: true } }"
  echo "storage:"
  case "$2" in
    filesystem) echo "  filesystem: { rootdirectory: '$3' }" ;;
    s3)
      echo "  s3:"
      for p in ACCESSKEY SECRETKEY REGION REGIONENDPOINT BUCKET; do
        echo "    $(echo "$p" | tr '[:upper:]' '[:lower:]'): '$(printenv "REGSTORE_TEST_S3_$p")'"
      done
      echo "    secure: false"
      echo "    rootdirectory: '$3'"
      if [ "$1" = ours ]; then echo "    forcepathstyle: true"; fi
      ;;
  esac
  echo "  delete: { enabled: true }"
  echo "  redirect: { disable: true }" # both serve blobs themselves: the comparison is the servers', not RGW's
  echo "http: { addr: '127.0.0.1:$4' }"
}

# median: the median of the numbers on stdin, one a line.
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
