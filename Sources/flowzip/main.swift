print("flowzip")
