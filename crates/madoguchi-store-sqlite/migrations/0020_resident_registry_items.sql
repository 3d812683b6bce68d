-- 住民票の記載事項 printed only on request (issue 19): 本籍・筆頭者 (日本人住民), 住民票コード (11 digits),
-- 前住所 (one line). All optional; 本籍 and 住民票コード are sensitive (never searched, never logged).
ALTER TABLE residents ADD COLUMN honseki TEXT;
ALTER TABLE residents ADD COLUMN hittosha TEXT;
ALTER TABLE residents ADD COLUMN juminhyo_code TEXT;
ALTER TABLE residents ADD COLUMN previous_address TEXT;
