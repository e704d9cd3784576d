package feeds

import (
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"
)

// ErrBadURL reports a URL that cannot identify an article: not absolute
// http or https, or not parseable.
var ErrBadURL = errors.New("not an absolute http(s) URL")

// trackingParams are query parameters that say where a reader came from,
// not which page they read.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "msclkid": true, "zarsrc": true,
	"mc_cid": true, "mc_eid": true, "_ga": true, "igshid": true,
}

// Canonical returns raw normalised so that the addresses of one page
// compare equal: scheme and host lower-cased, the default port, the
// fragment and tracking parameters (utm_*, fbclid, …) removed, an empty
// path made "/". The order of the other parameters is kept: some sites
// route by it.
func Canonical(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", fmt.Errorf("%q: %w", raw, ErrBadURL)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || u.User != nil {
		return "", fmt.Errorf("%q: %w", raw, ErrBadURL)
	}
	host := strings.ToLower(u.Hostname())
	if port := u.Port(); port != "" && !(u.Scheme == "http" && port == "80") && !(u.Scheme == "https" && port == "443") {
		host = net.JoinHostPort(host, port)
	} else if strings.Contains(host, ":") {
		host = "[" + host + "]" // IPv6
	}
	u.Host = host
	u.Fragment, u.RawFragment = "", ""
	if u.Path == "" {
		u.Path, u.RawPath = "/", ""
	}
	if u.RawQuery != "" {
		var kept []string
		for _, p := range strings.Split(u.RawQuery, "&") {
			name, _, _ := strings.Cut(p, "=")
			name, _ = url.QueryUnescape(name)
			name = strings.ToLower(name)
			if p == "" || strings.HasPrefix(name, "utm_") || trackingParams[name] {
				continue
			}
			kept = append(kept, p)
		}
		u.RawQuery = strings.Join(kept, "&")
	}
	u.ForceQuery = false
	return u.String(), nil
}

// idEncoding writes the hash of an id in lower-case letters and digits.
var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// hostRe matches a host name fit to start an id: labels of letters,
// digits and hyphens joined by single dots.
var hostRe = regexp.MustCompile(`^[a-z0-9-]+(\.[a-z0-9-]+)*$`)

// ArticleID returns the id of the article whose canonical URL (as
// Canonical returns it) is canonical: its host without "www.", "_", and the
// first 120 bits of the URL's SHA-256 in lower-case base32, as
// "baonamdinh.vn_kqrtyxpag225rg2ilajkqdk4" for
// "https://baonamdinh.vn/cau-tan-phong/". The id is the same wherever the
// URL comes from, has no "/", ".." or NUL, and fits in one path segment. A
// host with a port or of IPv6 is left out, and the id is the hash alone.
// Ids are stored in indexes: the scheme must never change, or every
// article would be indexed twice.
func ArticleID(canonical string) string {
	sum := sha256.Sum256([]byte(canonical))
	hash := idEncoding.EncodeToString(sum[:15])
	u, err := url.Parse(canonical)
	if err != nil || !hostRe.MatchString(u.Host) {
		return hash
	}
	return strings.TrimPrefix(u.Host, "www.") + "_" + hash
}

// urlID returns the id of the article at raw, an address given by a feed,
// a sitemap or a CMS, or an error if raw is not an article's address.
func urlID(raw string) (string, error) {
	c, err := Canonical(raw)
	if err != nil {
		return "", err
	}
	return ArticleID(c), nil
}
