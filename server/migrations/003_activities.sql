-- 003_activities: (filled by its owner)
SELECT 1;
