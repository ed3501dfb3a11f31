-- 004_messenger: (filled by its owner)
SELECT 1;
