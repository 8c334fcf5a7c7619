CREATE TABLE IF NOT EXISTS half_written (id INT); CREATE TABL broken (id INT);
