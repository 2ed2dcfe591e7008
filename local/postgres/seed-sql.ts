// Spellings the legacy system accepted over the years, indexed by arithmetic on the row number
// so that every run produces the same rows.
const COUNTRIES = `ARRAY['USA', 'U.S.A.', 'United States', 'united states ', 'US', 'Deutschland', 'Germany',
  'GERMANY', 'DE', 'France', 'FRANCE', 'Fr.', 'UK', 'United Kingdom', 'Great Britain', 'England', 'España',
  'Spain', 'Sweden', 'Sverige', NULL]`;
const FIRST_NAMES = `ARRAY['John', 'Mary', 'José', 'Zoë', 'Łukasz', 'Søren', 'François', 'Ahmed', 'Wei', 'Olga',
  'Priya', 'Carlos', 'Fatima', 'Björn', 'Chloé', 'Renée', 'Jürgen', 'Ayşe', 'Nguyễn Văn', 'Mårten']`;
const LAST_NAMES = `ARRAY['Smith', 'Müller', 'García', 'O''Brien', 'Nowak', 'Østergaard', 'Dubois', 'Rossi',
  'Kowalski', 'Johansson', 'Ivanov', 'Tanaka', 'Silva', 'Nguyen', 'Schröder', 'van der Berg', 'de la Cruz',
  'MacDonald', 'Åberg', 'Papadopoulos']`;

/**
 * The legacy schema and its rows, as one multi-statement query: PostgreSQL runs it as a single
 * implicit transaction, so a failure leaves nothing behind. Foreign keys are added after the
 * load, which validates them in one pass instead of row by row.
 */
export const LEGACY_SCHEMA_SQL = `
CREATE TABLE customers (
  customer_id integer PRIMARY KEY,
  first_name  varchar(50),
  last_name   varchar(50) NOT NULL,
  email       varchar(120),
  phone       varchar(30),
  birth_date  varchar(20),
  country     varchar(40),
  status      char(1),
  created_at  timestamp NOT NULL,
  notes       text
);
INSERT INTO customers
SELECT i,
  CASE WHEN i % 53 = 0 THEN NULL WHEN i % 17 = 0 THEN n.f || '  ' ELSE n.f END,
  n.l || CASE WHEN i % 23 = 0 THEN ' ' ELSE '' END,
  CASE i % 10 WHEN 0 THEN NULL WHEN 1 THEN upper(m.e) WHEN 2 THEN ' ' || m.e || ' '
    WHEN 3 THEN initcap(m.e) WHEN 4 THEN replace(m.e, '@', ' @ ') ELSE m.e END,
  CASE i % 6
    WHEN 0 THEN '+1-555-' || lpad((i % 1000)::text, 3, '0') || '-' || lpad((i * 7 % 10000)::text, 4, '0')
    WHEN 1 THEN '(555) ' || lpad((i % 1000)::text, 3, '0') || '-' || lpad((i * 7 % 10000)::text, 4, '0')
    WHEN 2 THEN '555.' || lpad((i % 1000)::text, 3, '0') || '.' || lpad((i * 7 % 10000)::text, 4, '0')
    WHEN 3 THEN '+44 20 7946 ' || lpad((i % 10000)::text, 4, '0')
    WHEN 4 THEN '0049' || lpad((i * 13 % 100000000)::text, 8, '0')
    ELSE CASE WHEN i % 12 = 5 THEN NULL ELSE '' END END,
  CASE i % 8 WHEN 0 THEN to_char(b.d, 'YYYY-MM-DD') WHEN 1 THEN to_char(b.d, 'DD/MM/YYYY')
    WHEN 2 THEN to_char(b.d, 'MM/DD/YYYY') WHEN 3 THEN to_char(b.d, 'DD.MM.YYYY')
    WHEN 4 THEN to_char(b.d, 'Mon DD YYYY') WHEN 5 THEN to_char(b.d, 'YYYYMMDD') WHEN 6 THEN NULL
    ELSE '0000-00-00' END,
  (${COUNTRIES})[1 + i % 21],
  (ARRAY['A', 'A', 'A', 'I', 'a', NULL, 'X'])[1 + i % 7],
  timestamp '2011-03-01' + make_interval(secs => (i * 7919) % 315360000),
  CASE WHEN i % 31 = 0 THEN 'VIP - call before delivery' WHEN i % 29 = 0 THEN 'N/A' END
FROM generate_series(1, 10000) AS i,
  LATERAL (SELECT (${FIRST_NAMES})[1 + i % 20] AS f, (${LAST_NAMES})[1 + (i / 20) % 20] AS l) AS n,
  LATERAL (SELECT lower(replace(replace(n.f, ' ', ''), '''', '')) || '.'
    || lower(replace(replace(n.l, ' ', ''), '''', '')) || i || '@'
    || (ARRAY['example.com', 'mail.example.org', 'EXAMPLE.NET', 'corp.example.co.uk', 'example.de'])[1 + i % 5]
    AS e) AS m,
  LATERAL (SELECT date '1940-01-01' + (i * 37) % 22000 AS d) AS b;

-- The same people again, imported from another system with their e-mails re-cased.
INSERT INTO customers
SELECT 10000 + k, c.first_name, c.last_name,
  CASE WHEN k % 2 = 0 THEN lower(trim(c.email)) ELSE upper(trim(c.email)) END,
  regexp_replace(c.phone, '[^0-9+]', '', 'g'), c.birth_date, (${COUNTRIES})[1 + k % 21], 'A',
  c.created_at + interval '400 days', 'imported from CRM 2016'
FROM generate_series(1, 300) AS k JOIN customers AS c ON c.customer_id = (k * 31) % 10000 + 1;

CREATE TABLE addresses (
  address_id  integer PRIMARY KEY,
  customer_id integer,
  kind        varchar(10),
  line1       varchar(100) NOT NULL,
  line2       varchar(100),
  city        varchar(60),
  postcode    varchar(12),
  country     varchar(40)
);
INSERT INTO addresses
SELECT i,
  CASE WHEN i % 120 = 0 THEN 50000 + i ELSE (i - 1) % 10300 + 1 END,
  (ARRAY['billing', 'shipping', 'BILLING', 'Ship', 'bill', NULL])[1 + i % 6],
  (1 + i % 997) || ' ' || (ARRAY['Main St', 'Main Street', 'main st.', 'Hauptstraße', 'Rue de la Paix',
    'High St', 'Calle Mayor', 'Storgatan'])[1 + i % 8] || CASE WHEN i % 9 = 0 THEN '   ' ELSE '' END,
  CASE WHEN i % 4 = 0 THEN 'Apt ' || (i % 50) WHEN i % 4 = 1 THEN '' END,
  (ARRAY['Boston', 'boston', 'BOSTON ', 'München', 'Muenchen', 'Munich', 'Paris', 'PARIS', 'London',
    'Madrid', 'Göteborg', 'Gothenburg'])[1 + i % 12],
  CASE i % 4 WHEN 0 THEN lpad((i % 100000)::text, 5, '0') WHEN 1 THEN (i % 100000)::text
    WHEN 2 THEN 'SW1A ' || (i % 9) || 'AA' END,
  (${COUNTRIES})[1 + (i * 3) % 21]
FROM generate_series(1, 12000) AS i;

CREATE TABLE products (
  product_id   integer PRIMARY KEY,
  sku          varchar(20),
  name         varchar(100) NOT NULL,
  unit_price   numeric(10, 2),
  discontinued char(1),
  weight       varchar(20)
);
INSERT INTO products
SELECT i,
  CASE i % 3 WHEN 0 THEN 'SKU-' || lpad(i::text, 5, '0') WHEN 1 THEN 'sku' || lpad(i::text, 5, '0')
    ELSE 'Sku ' || i END,
  (ARRAY['Widget', 'Gadget', 'Gizmo', 'Sprocket', 'Doohickey', 'Thingamajig', 'Café Mug',
    'Schraubenschlüssel'])[1 + i % 8] || ' ' || (ARRAY['Pro', 'Mini', 'XL', '', 'Deluxe ', ' v2'])[1 + i % 6]
    || ' #' || i,
  CASE WHEN i % 50 = 0 THEN NULL WHEN i % 71 = 0 THEN 0 ELSE round((i * 37 % 50000) / 100.0 + 0.99, 2) END,
  (ARRAY['N', 'N', 'N', 'Y', 'y', 'n', NULL])[1 + i % 7],
  CASE i % 5 WHEN 0 THEN (i % 20) || '.5kg' WHEN 1 THEN (i % 20 * 1000 + 500) || ' g'
    WHEN 2 THEN (i % 20) || ',5 kg' WHEN 3 THEN (i % 40) || ' lbs' END
FROM generate_series(1, 500) AS i;

CREATE TABLE order_items (
  item_id    integer PRIMARY KEY,
  order_id   integer NOT NULL,
  line_no    smallint NOT NULL,
  product_id integer,
  quantity   integer,
  unit_price numeric(10, 2),
  discount   varchar(10)
);
INSERT INTO order_items
SELECT i, (i - 1) % 25000 + 1, (i - 1) / 25000 + 1,
  CASE WHEN i % 844 = 0 THEN 9000 + i % 100 ELSE (i * 13) % 500 + 1 END,
  CASE WHEN i % 97 = 0 THEN -(1 + i % 3) WHEN i % 211 = 0 THEN 0 WHEN i % 500 = 0 THEN NULL ELSE 1 + i % 5 END,
  round(((i * 13) % 500 * 37 % 50000) / 100.0 + 0.99, 2),
  (ARRAY[NULL, NULL, '10%', '0.1', '', '5 %', '0'])[1 + i % 7]
FROM generate_series(1, 42200) AS i;

CREATE TABLE orders (
  order_id        integer PRIMARY KEY,
  customer_id     integer NOT NULL,
  order_date      varchar(30),
  status          varchar(20),
  ship_address_id integer,
  total_amount    numeric(12, 2),
  currency        varchar(5)
);
-- The denormalized total is wrong on some orders and missing on others, as it was in production.
INSERT INTO orders
SELECT i, (i * 7) % 10300 + 1,
  CASE i % 5 WHEN 0 THEN to_char(x.t, 'YYYY-MM-DD HH24:MI:SS') WHEN 1 THEN to_char(x.t, 'DD/MM/YYYY')
    WHEN 2 THEN to_char(x.t, 'MM-DD-YY') WHEN 3 THEN to_char(x.t, 'Dy, DD Mon YYYY HH24:MI')
    ELSE extract(epoch FROM x.t)::bigint::text END,
  (ARRAY['shipped', 'SHIPPED', 'Shipped ', 'cancelled', 'canceled', 'pending', 'PENDING', NULL,
    'returned'])[1 + i % 9],
  CASE WHEN i % 10 = 0 THEN NULL WHEN i % 333 = 0 THEN 99999 ELSE (i * 11) % 12000 + 1 END,
  CASE WHEN i % 150 = 0 THEN NULL WHEN i % 40 = 0 THEN round(s.total * 1.1, 2) ELSE s.total END,
  (ARRAY['USD', 'usd', 'EUR', '€', '$', NULL, 'US$'])[1 + i % 7]
FROM generate_series(1, 25000) AS i
  CROSS JOIN LATERAL (SELECT timestamp '2015-01-01' + make_interval(secs => i * 3779) AS t) AS x
  LEFT JOIN (SELECT order_id, sum(quantity * unit_price) AS total FROM order_items GROUP BY order_id) AS s
    ON s.order_id = i;

CREATE TABLE payments (
  payment_id integer PRIMARY KEY,
  order_id   integer,
  amount     numeric(12, 2),
  method     varchar(20),
  paid_at    varchar(30),
  reference  varchar(40)
);
INSERT INTO payments
SELECT i, CASE WHEN i % 250 = 0 THEN 900000 + i ELSE i * 5 END,
  CASE WHEN i % 37 = 0 THEN -round((i % 200) + 0.5, 2) ELSE round((i * 53 % 90000) / 100.0, 2) END,
  (ARRAY['VISA', 'visa', 'Visa ', 'MasterCard', 'MC', 'paypal', 'PayPal', 'cash', NULL, 'Amex'])[1 + i % 10],
  CASE i % 4 WHEN 0 THEN to_char(x.t, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') WHEN 1 THEN to_char(x.t, 'DD.MM.YYYY HH24:MI')
    WHEN 2 THEN to_char(x.t, 'MM/DD/YYYY') END,
  CASE WHEN i % 3 <> 0 THEN 'TX' || lpad(to_hex(i * 2654435761 % 4294967296), 8, '0') END
FROM generate_series(1, 5000) AS i,
  LATERAL (SELECT timestamp '2015-01-02' + make_interval(secs => i * 5 * 3779 + 3600) AS t) AS x;

CREATE TABLE audit_log (
  audit_id   bigint PRIMARY KEY,
  logged_at  timestamptz,
  table_name varchar(30),
  row_id     integer,
  action     varchar(10),
  changed_by varchar(30),
  details    text
);
-- details was meant to hold JSON; some rows hold prose or truncated JSON.
INSERT INTO audit_log
SELECT i, timestamptz '2015-01-01 00:00:00+00' + make_interval(secs => i * 18911),
  (ARRAY['customers', 'CUSTOMERS', 'orders', 'order_items', 'payments', 'products'])[1 + i % 6],
  (i * 17) % 25000 + 1,
  (ARRAY['INSERT', 'insert', 'UPD', 'UPDATE', 'DELETE', 'del'])[1 + i % 6],
  (ARRAY['admin', 'ADMIN ', 'batch_job', 'system', NULL, 'j.doe', 'José'])[1 + i % 7],
  CASE i % 5 WHEN 0 THEN '{"field":"email","old":null,"new":"x' || i || '@example.com"}'
    WHEN 1 THEN 'status changed A->I' WHEN 2 THEN '{"field": "status", "old": "A"' WHEN 3 THEN '' END
FROM generate_series(1, 5000) AS i;

ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers;
ALTER TABLE order_items ADD CONSTRAINT order_items_order_fk FOREIGN KEY (order_id) REFERENCES orders;
CREATE INDEX orders_customer_idx ON orders (customer_id);
CREATE INDEX order_items_order_idx ON order_items (order_id);
ANALYZE customers, addresses, products, order_items, orders, payments, audit_log;
`;
