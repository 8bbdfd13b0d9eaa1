0
rc=0
