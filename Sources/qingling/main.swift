print("qingling")
