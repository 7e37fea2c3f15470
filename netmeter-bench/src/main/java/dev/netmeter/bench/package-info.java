/** {@code netmeter bench}: load figures measured over HTTP against a live server. */
package dev.netmeter.bench;
