/** The metering vocabulary: immutable, validated values that know nothing of HTTP, SQL or the data plane. */
package dev.netmeter.domain;
