CREATE INDEX `carts_user_id_idx` ON `carts` (`user_id`) ALGORITHM=INPLACE LOCK=NONE;
