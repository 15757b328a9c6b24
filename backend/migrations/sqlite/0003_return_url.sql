ALTER TABLE payments ADD COLUMN return_url TEXT;
