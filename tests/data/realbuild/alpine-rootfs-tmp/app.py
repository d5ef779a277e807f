print(open("/etc/app/app.conf").read())
