def test_world_page_opens_mail_in_world(world_page, world):
    world_page.goto(world.url("mail") + "/")
    assert world_page.get_by_test_id("world-id").inner_text() == world.id
