print("hattama: under construction")
