INSERT INTO users (id, name, email) VALUES (1, 'Ada Lovelace', 'ada@example.com');
INSERT INTO users (id, name, email) VALUES (2, 'Alan Turing', 'alan@example.com');
INSERT INTO users (id, name, email) VALUES (3, 'Grace Hopper', 'grace@example.com');
