/** JDBI implementations of the persistence ports, for H2, PostgreSQL and MariaDB. */
package dev.netmeter.persistence.jdbi;
