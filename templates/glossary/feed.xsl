<?xml version="1.0" encoding="utf-8"?>{% load i18n static %}{% get_current_language as LANGUAGE_CODE %}
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:atom="http://www.w3.org/2005/Atom" exclude-result-prefixes="atom">
<xsl:output method="html" encoding="utf-8" indent="no"/>
<!-- How a feed of the glossary looks when opened in a browser: a page in the feed's own interface
     language, made from the feed itself. Feed readers ignore it. -->
<xsl:template match="/atom:feed">
<html lang="{{ lang }}">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<title><xsl:value-of select="atom:title"/></title>
<link rel="stylesheet" href="{% static 'glossary/site.css' %}"/>
</head>
<body class="feed-page">
<header class="site-header"><div class="wrap header-bar"><a class="brand" href="{{ home }}"><span class="brand-mark" aria-hidden="true" lang="zh-Hans">术</span> <span class="brand-name">{% translate "AI Glossary" %}</span></a></div></header>
<main id="main"><div class="wrap">
<h1><xsl:value-of select="atom:title"/></h1>
<p class="lead"><xsl:value-of select="atom:subtitle"/></p>
<div class="notice feed-notice">
  <p><strong>{% translate "This is an Atom feed." %}</strong> {% translate "Copy the address of this page into a feed reader to be told of each change; the web page of the same list is linked below." %}</p>
  <p><a href="{atom:link[@rel='alternate']/@href}">{% translate "Open the web page" %}</a></p>
</div>
<ol class="feed-entries">
<xsl:for-each select="atom:entry">
  <li class="feed-entry">
    <h2><a href="{atom:link/@href}"><xsl:value-of select="atom:title"/></a></h2>
    <p class="muted"><time datetime="{atom:updated}"><xsl:call-template name="date"><xsl:with-param name="iso" select="atom:updated"/></xsl:call-template></time></p>
    <xsl:if test="atom:summary"><p><xsl:call-template name="lines"><xsl:with-param name="text" select="atom:summary"/></xsl:call-template></p></xsl:if>
  </li>
</xsl:for-each>
</ol>
<xsl:if test="not(atom:entry)"><p>{% translate "Nothing has been published yet." %}</p></xsl:if>
</div></main>
</body>
</html>
</xsl:template>

<!-- A date of the feed (RFC 3339) as the pages of this language write it. -->
<xsl:template name="date">
<xsl:param name="iso"/>
<xsl:variable name="y" select="substring($iso, 1, 4)"/>
<xsl:variable name="m" select="number(substring($iso, 6, 2))"/>
<xsl:variable name="d" select="number(substring($iso, 9, 2))"/>
{% if LANGUAGE_CODE == "en" %}<xsl:value-of select="concat(substring-before(substring-after('{{ months }}', concat('|', $m, '=')), '|'), ' ', $d, ', ', $y)"/>{% else %}<xsl:value-of select="concat($y, '年', $m, '月', $d, '日')"/>{% endif %}
</xsl:template>

<!-- A summary's line breaks (sent as <br>) as breaks. -->
<xsl:template name="lines">
<xsl:param name="text"/>
<xsl:choose>
<xsl:when test="contains($text, '&lt;br&gt;')"><xsl:value-of select="substring-before($text, '&lt;br&gt;')"/><br/><xsl:call-template name="lines"><xsl:with-param name="text" select="substring-after($text, '&lt;br&gt;')"/></xsl:call-template></xsl:when>
<xsl:otherwise><xsl:value-of select="$text"/></xsl:otherwise>
</xsl:choose>
</xsl:template>
</xsl:stylesheet>
