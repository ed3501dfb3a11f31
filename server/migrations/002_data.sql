-- 002_data: (filled by its owner)
SELECT 1;
