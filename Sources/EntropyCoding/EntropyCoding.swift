// EntropyCoding module.
