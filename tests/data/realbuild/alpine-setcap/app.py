import subprocess

print(subprocess.run(["traceroute", "--version"], capture_output=True, text=True).stdout)
