print("tinyapp")
