bash: line 1: -d: command not found
bash: line 1: -c: command not found
