#!/usr/bin/perl
# Writes, next to this script, test-country.mmdb: a tiny database in the shape of MaxMind's
# GeoIP2-Country (database_type "GeoIP2-Country", country.iso_code, country.names.en), so that
# the analytics tests resolve countries through the real com.maxmind.geoip2 DatabaseReader; and
# test-asn.mmdb, a GeoLite2-ASN-shaped one, which the service must refuse as a country database.
# The networks are test data only; they say nothing about where those addresses really are.
#
# Needs Debian's libmaxmind-db-writer-perl (apt-get install -y libmaxmind-db-writer-perl).
# The generated files are committed, so builds need no Perl; run this again only to change them:
#   perl shortener-service/src/test/resources/geoip/make-test-mmdb.pl
use strict;
use warnings;
use File::Basename qw(dirname);
use MaxMind::DB::Writer::Tree;

my $dir = dirname(__FILE__);

my %types = (
    country    => 'map',
    continent  => 'map',
    iso_code   => 'utf8_string',
    code       => 'utf8_string',
    geoname_id => 'uint32',
    names      => 'map',
    en         => 'utf8_string',
    autonomous_system_number       => 'uint32',
    autonomous_system_organization => 'utf8_string',
);

my $tree = MaxMind::DB::Writer::Tree->new(
    ip_version            => 6,
    record_size           => 24,
    database_type         => 'GeoIP2-Country',
    languages             => ['en'],
    description           => { en => 'Ferry shortener-service test fixture, not real data' },
    alias_ipv6_to_ipv4    => 1,
    map_key_type_callback => sub { $types{ $_[0] } },
);

sub country {
    my ($iso, $name, $geoname, $continent, $continent_name) = @_;
    return {
        continent => { code => $continent, names => { en => $continent_name } },
        country   => { iso_code => $iso, geoname_id => $geoname, names => { en => $name } },
    };
}

my %networks = (
    '81.2.69.0/24'     => country('GB', 'United Kingdom', 2635167, 'EU', 'Europe'),
    '89.160.20.0/24'   => country('SE', 'Sweden',         2661886, 'EU', 'Europe'),
    '216.160.83.0/24'  => country('US', 'United States',  6252001, 'NA', 'North America'),
    '2001:218::/32'    => country('JP', 'Japan',          1861060, 'AS', 'Asia'),
    '2a02:d400::/29'   => country('DE', 'Germany',        2921044, 'EU', 'Europe'),
);
for my $network (sort keys %networks) {
    $tree->insert_network($network, $networks{$network});
}

write_tree($tree, "$dir/test-country.mmdb");

my $asn = MaxMind::DB::Writer::Tree->new(
    ip_version            => 6,
    record_size           => 24,
    database_type         => 'GeoLite2-ASN',
    languages             => ['en'],
    description           => { en => 'Ferry shortener-service test fixture, not real data' },
    alias_ipv6_to_ipv4    => 1,
    map_key_type_callback => sub { $types{ $_[0] } },
);
$asn->insert_network('81.2.69.0/24',
    { autonomous_system_number => 64496, autonomous_system_organization => 'Example AS' });
write_tree($asn, "$dir/test-asn.mmdb");

sub write_tree {
    my ($tree, $path) = @_;
    open my $fh, '>:raw', $path or die "cannot write $path: $!";
    $tree->write_tree($fh);
    close $fh or die "cannot close $path: $!";
    print "wrote $path\n";
}
