"""A government website's article page around given paragraphs, laid out as
Chinese government portals lay them out: a header with the site name and
search box, a navigation bar, breadcrumbs (当前位置), a sidebar of links,
the article (headline, publication info, font-size and print buttons, the
body as <p> paragraphs, a share bar, related articles) and a footer with the
organizer, ICP and public-security registration numbers. Scripts, styles and
an inline statistics snippet complete it."""

from __future__ import annotations

from html import escape

SITE = "吐鲁番市人民政府"
NAV = ["首页", "政务公开", "政务服务", "互动交流", "走进吐鲁番", "专题专栏"]
CRUMBS = ["首页", "政务公开", "重点领域信息公开", "生态环境"]
SIDEBAR = ["生态环境保护督察", "环境质量公告", "建设项目环评审批", "行政处罚信息", "突发环境事件"]
RELATED = [
    "吐鲁番市召开生态环境保护委员会全体会议",
    "我市推进第二轮中央生态环境保护督察反馈问题整改工作",
    "吐鲁番市2023年大气污染防治工作要点",
]


def gov_article_page(headline: str, paragraphs: list[str], *, charset: str = "utf-8", meta: str = "charset") -> str:
    """The page as text; encode it with ``charset`` to get what the site
    serves. ``meta`` says how the charset is declared: "charset" (<meta
    charset>), "http-equiv" (<meta http-equiv content="…; charset=…">) or
    "none"."""
    declaration = {
        "charset": f'<meta charset="{charset}">',
        "http-equiv": f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">',
        "none": "",
    }[meta]
    nav = "".join(f'<li><a href="/{i}/">{escape(n)}</a></li>' for i, n in enumerate(NAV))
    crumbs = " &gt; ".join(f'<a href="/c{i}/">{escape(c)}</a>' for i, c in enumerate(CRUMBS))
    sidebar = "".join(f'<li><a href="/s{i}.html">{escape(s)}</a></li>' for i, s in enumerate(SIDEBAR))
    related = "".join(f'<li><a href="/r{i}.html">{escape(r)}</a><span>2023-12-0{i + 1}</span></li>' for i, r in enumerate(RELATED))
    body = "\n".join(f'<p style="text-indent: 2em;">{escape(p)}</p>' for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
{declaration}
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="ArticleTitle" content="{escape(headline)}">
<meta name="ContentSource" content="吐鲁番市生态环境局">
<title>{escape(headline)}_{SITE}</title>
<link rel="stylesheet" href="/css/common.css">
<style>.nav li {{ float: left; }} .footer p {{ text-align: center; }}</style>
<script src="/js/jquery.min.js"></script>
<script>var _hmt = _hmt || []; document.write("<span>统计</span>");</script>
</head>
<body>
<div class="top-bar"><div class="w1200"><span>欢迎访问{SITE}门户网站</span>
<a href="/wza/">无障碍</a> | <a href="/zzms/">长者模式</a> | <a href="/login/">登录</a></div></div>
<div class="header"><div class="logo"><a href="/"><img src="/images/logo.png" alt="{SITE}"></a></div>
<div class="search"><form action="/search/"><input type="text" name="q" placeholder="请输入关键词">
<button type="submit">搜索</button></form></div></div>
<div class="nav"><ul>{nav}</ul></div>
<div class="main w1200">
<div class="position">当前位置：{crumbs}</div>
<div class="left-side"><h3>栏目导航</h3><ul>{sidebar}</ul></div>
<div class="article">
<h1 class="article-title">{escape(headline)}</h1>
<div class="article-info"><span>发布时间：2023-12-29 10:30</span><span>来源：吐鲁番市生态环境局</span>
<span>浏览次数：1024</span><span class="font-size">【字体：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</span>
<a href="javascript:window.print()">打印本页</a></div>
<div class="article-content" id="zoom"><div class="TRS_Editor">
{body}
</div></div>
<div class="share">分享到：<a href="#">微信</a><a href="#">微博</a><a href="#">QQ空间</a></div>
<div class="related"><h3>相关文章</h3><ul>{related}</ul></div>
</div>
</div>
<div class="footer"><div class="w1200">
<p><a href="/about/">关于我们</a> | <a href="/map/">网站地图</a> | <a href="/contact/">联系我们</a></p>
<p>主办单位：{SITE}办公室　承办单位：吐鲁番市大数据发展中心</p>
<p>网站标识码：6521000001　新ICP备05000000号-1　新公网安备 65040202000000号</p>
</div></div>
<script>(function(){{ var hm = document.createElement("script"); }})();</script>
</body>
</html>
"""
