# a MySQL comment
ALTER TABLE `orders` MODIFY COLUMN `total` DECIMAL(12,2) NOT NULL, DROP INDEX `idx_old`;
ALTER TABLE `orders` CHANGE `ref` `reference` VARCHAR(64);
TRUNCATE `carts`;
