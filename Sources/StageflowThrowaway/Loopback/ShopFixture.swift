/// A small shop for journey tests, served by `LoopbackHTTPServer.site`: home → product → "Add to cart" → a cart that
/// shows the item (script and `localStorage`); a checkout whose "Continue" does nothing; "My account" redirecting to
/// the cloud metadata address; and a chain of pages `/p/N` with a "Next page" link each. The checkout page has an
/// image without alternative text, for accessibility checks.
public enum ShopFixture {
    /// A page of the shop.
    public static func page(_ title: String, _ body: String) -> LoopbackResponse {
        .html("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>\(title)</title></head><body><main>\(body)</main></body></html>")
    }

    /// The shop's pages by path.
    public static var routes: [String: LoopbackResponse] {
        var routes: [String: LoopbackResponse] = [
            "/": page(
                "Shop",
                """
                <h1>Shop</h1><ul><li><a href="/product/blue">Blue T-shirt</a></li><li><a href="/product/red">Red T-shirt</a></li></ul>
                <p><a href="/checkout">Checkout</a> · <a href="/account">My account</a></p>
                """),
            "/product/blue": page(
                "Blue T-shirt",
                """
                <h1>Blue T-shirt</h1><p>Soft cotton.</p><button id="add">Add to cart</button>
                <script>document.getElementById('add').addEventListener('click', () => {
                  localStorage.setItem('cart', 'Blue T-shirt'); location.href = '/cart'; });</script>
                """),
            "/product/red": page("Red T-shirt", "<h1>Red T-shirt</h1><p>Sold out.</p>"),
            "/cart": page(
                "Cart",
                """
                <h1>Cart</h1><p id="items">Your cart is empty</p><p><a href="/">Continue shopping</a></p>
                <script>const item = localStorage.getItem('cart');
                if (item) document.getElementById('items').textContent = '1 item in your cart: ' + item;</script>
                """),
            "/checkout": page(
                "Checkout",
                """
                <h1>Checkout</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><form onsubmit="return false"><label>Email <input name="email" type="email"></label>
                <button type="button">Continue</button></form>
                """),
            "/account": .redirect(to: "http://169.254.169.254/latest/meta-data/"),
        ]
        for number in 1...30 {
            routes["/p/\(number)"] = page("Page \(number)", "<h1>Page \(number)</h1><p><a href=\"/p/\(number + 1)\">Next page</a></p>")
        }
        return routes
    }

}
