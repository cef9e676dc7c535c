module utx

go 1.19
