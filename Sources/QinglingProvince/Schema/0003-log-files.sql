-- Version 3: the files of a county's log directory besides its segments, so that a restore
-- gives back a log whose years are sealed: each sealed year's files (archive/<year>/: the
-- chain link, the signed manifest and its signature, the segments' indexes, the evidence files)
-- and the archive job's public key (signing.pub). `path` is relative to the log directory;
-- `sha256` is the hash of `bytes`, checked by restore.
CREATE TABLE qingling.files (
    county text NOT NULL REFERENCES qingling.counties,
    path   text NOT NULL CHECK (path !~ '(^/|\.\.)'),
    bytes  bytea NOT NULL,
    sha256 bytea NOT NULL CHECK (length(sha256) = 32),
    PRIMARY KEY (county, path)
);
